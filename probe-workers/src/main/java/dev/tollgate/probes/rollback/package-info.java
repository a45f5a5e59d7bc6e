/**
 * The rollback readiness probe (issue #5): checks before a deploy that it can be undone — a known release to go back
 * to, a schema that release still works on, migrations with their way back, images pinned by digest, rollouts that
 * halt on a bad release, a rollback inside the time budget, and a release small enough to undo. Migrations are read
 * through the migration probe's statement model ({@code MigrationSet}, {@code BreakingChange}, {@code OldCode}), never
 * parsed a second time. User documentation: docs/rollback.md.
 */
package dev.tollgate.probes.rollback;
