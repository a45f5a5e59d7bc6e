package dev.tollgate.probes.repo;

import java.util.List;

/**
 * One file changed between two trees.
 *
 * @param type ADD, MODIFY, DELETE, RENAME or COPY
 * @param oldPath path before, null for ADD
 * @param newPath path after, null for DELETE
 * @param binary true when either side is binary (no lines are given)
 * @param size size in bytes of the new side (0 for DELETE)
 * @param skipped why the content was not read ({@code too-large}, {@code submodule}), else null
 * @param addedLines lines added on the new side, in order; empty for binary, deleted or skipped files (computed on
 *     first use: the diff is the costly part)
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

  /** True when the file's content was read (not binary, not skipped, not deleted). */
  public boolean hasText() {
    return !binary && skipped == null && type != Type.DELETE;
  }
}
