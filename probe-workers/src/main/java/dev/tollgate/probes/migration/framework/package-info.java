/**
 * Migration frameworks whose files are not SQL (Rails, Django, Alembic, ...) or whose SQL sits in a layout of their own
 * (Prisma): the plug point of the migrations probe. A {@link dev.tollgate.probes.migration.framework.FrameworkReader}
 * turns one framework's migration file into the probe's statement model — the SQL the framework runs, parsed by the
 * probe's own front end ({@code migration.sql}), grouped in the framework's transaction units — so every rule of the
 * probe (locks, rewrites, the old-code check, transactions, lock timeouts, edited applied migrations) applies
 * unchanged. Whatever a reader cannot read is an {@link dev.tollgate.probes.migration.Unread}, reported as a finding,
 * never dropped. Readers also name the running release's ORM models
 * ({@link dev.tollgate.probes.migration.OrmModel}) for the old-code check.
 *
 * <p>Adding a framework: one class implementing {@code FrameworkReader}, one line in {@link
 * dev.tollgate.probes.migration.framework.FrameworkReaders#ALL}, one {@code Framework} value, its entry removed from
 * {@link dev.tollgate.probes.migration.framework.Lookalikes} (which names files of frameworks nobody reads), a test
 * class with unsafe/safe twins per operation, and {@code docs/rules/migration/<framework>.md}. See
 * docs/rules/migration/frameworks.md.
 */
package dev.tollgate.probes.migration.framework;
