package dev.tollgate.probes.repo;

import java.util.List;

/**
 * One file changed between two trees.
 *
 * @param type ADD, MODIFY, DELETE, RENAME or COPY
 * @param oldPath path before, null for ADD
 * @param newPath path after, null for DELETE
 * @param binary true when either side is binary; its lines are still given, as {@link TextView} reads it (the
 *     printable runs), for the secrets scan, and every other reader ignores them ({@link #hasText()} is false)
 * @param size size in bytes of the new side (0 for DELETE)
 * @param skipped why the content was not read ({@code too-large}, {@code submodule}), else null
 * @param addedLines lines added on the new side's {@link TextView} text, in order; empty for deleted or skipped files
 *     (computed on first use: the diff is the costly part)
 */
public record FileChange(Type type, String oldPath, String newPath, boolean binary, long size, String skipped,
    List<AddedLine> addedLines) {
  /** Kind of change. */
  public enum Type { ADD, MODIFY, DELETE, RENAME, COPY }

  public FileChange {
    addedLines = addedLines instanceof LazyLines ? addedLines : List.copyOf(addedLines);
  }

  /** The path this change is about: the new path, or the old one for a deletion. */
  public String path() {
    return newPath != null ? newPath : oldPath;
  }

  /**
   * A copy of the new side's content while {@link #addedLines()} is still to be computed, else null (computed, or not
   * a lazy change): a reader that can tell from the new side alone that no subset of its lines matters to it skips the
   * diff. A copy, so that no caller can change what the diff will read (copying costs far less than reading it).
   */
  public byte[] newSideBeforeDiff() {
    byte[] pending = addedLines instanceof LazyLines lazy ? lazy.pendingNewSide() : null;
    return pending == null ? null : pending.clone();
  }

  /** True when {@link #addedLines()} is known without a diff still to run (tests read it through RepoTesting). */
  boolean addedLinesComputed() {
    return !(addedLines instanceof LazyLines lazy) || lazy.computed();
  }

  /** True when the file's content was read as text (not binary, not skipped, not deleted). */
  public boolean hasText() {
    return !binary && skipped == null && type != Type.DELETE;
  }
}
