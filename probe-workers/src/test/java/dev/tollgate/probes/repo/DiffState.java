package dev.tollgate.probes.repo;

/** What tests of other packages may ask of a change's lazy diff (issue #24), kept out of the production API. */
public final class DiffState {
  private DiffState() {}

  /** True when the added lines of {@code change} are known without a diff still to run. */
  public static boolean diffRan(FileChange change) {
    return change.addedLinesComputed();
  }
}
