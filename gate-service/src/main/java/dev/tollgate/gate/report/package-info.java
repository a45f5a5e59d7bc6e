/**
 * What the platform integrations (GitHub, issue #8; GitLab, issue #9) share when they report a verdict back: the
 * text rules ({@link dev.tollgate.gate.report.ReportText}: bounded, one line per item, tokens masked, nothing from
 * repository content rendered as a mention, link or HTML) and the Kafka consumer loop that lets exactly one gate
 * instance report each evaluation ({@link dev.tollgate.gate.report.VerdictReporterLoop}).
 */
package dev.tollgate.gate.report;
