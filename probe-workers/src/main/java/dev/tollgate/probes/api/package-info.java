/**
 * The shape of a probe and its rules (STYLE.md §3). A probe is a named, alphabetical list of rules; a rule is a
 * pure check over a {@link dev.tollgate.probes.api.RuleContext}: no network, no clock reads, no repository
 * opening of its own.
 */
package dev.tollgate.probes.api;
