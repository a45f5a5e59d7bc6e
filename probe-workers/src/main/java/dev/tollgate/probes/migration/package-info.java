/**
 * Migration multi-instance safety probe (issue #4). {@link dev.tollgate.probes.migration.MigrationSet} finds and parses
 * the deploy's migrations once (Flyway, Liquibase, golang-migrate, dbmate, plain SQL; PostgreSQL and MySQL) with
 * their transaction model and the schema history; one class per rule reads it; {@link
 * dev.tollgate.probes.migration.OldCode} searches the running release's code for what a migration drops or renames;
 * {@link dev.tollgate.probes.migration.BreakingChange} exposes the incompatible changes to the rollback probe;
 * {@link dev.tollgate.probes.migration.MigrationLinter} is the CLI's engine. The SQL front end is in {@code .sql}.
 */
package dev.tollgate.probes.migration;
