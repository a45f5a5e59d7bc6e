package dev.tollgate.probes.migration;

/** Which way a migration goes. */
public enum MigrationKind {
  /** Applied once, in version order (Flyway V, golang-migrate up, a Liquibase changeset, a plain file). */
  UP,
  /** Flyway {@code R__}: re-applied whenever its checksum changes. */
  REPEATABLE,
  /** Flyway {@code U<ver>__}: undoes version {@code ver}. */
  UNDO,
  /** golang-migrate {@code .down.sql}, a dbmate/goose down section: undoes its up. */
  DOWN
}
