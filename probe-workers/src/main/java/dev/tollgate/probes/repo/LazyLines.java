package dev.tollgate.probes.repo;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Added lines computed on first use: diffing is the expensive part of reading a change, and many probes only need
 * which files changed (the migrations probe reads whole files), so a file's diff runs only when someone asks.
 */
final class LazyLines extends AbstractList<AddedLine> {
  private final Supplier<List<AddedLine>> compute;
  /** The new side the lines are computed from. */
  private final byte[] newSide;
  private volatile List<AddedLine> lines;

  LazyLines(byte[] newSide, Supplier<List<AddedLine>> compute) {
    this.newSide = newSide;
    this.compute = compute;
  }

  /** The new side while the lines are not computed yet, else null. */
  byte[] pendingNewSide() {
    return lines == null ? newSide : null;
  }

  /** True once the lines were computed (the diff ran or came from the cache). */
  boolean computed() {
    return lines != null;
  }

  private List<AddedLine> lines() {
    List<AddedLine> l = lines;
    if (l == null) {
      synchronized (this) {
        l = lines;
        if (l == null) {
          l = List.copyOf(compute.get());
          lines = l;
        }
      }
    }
    return l;
  }

  @Override
  public AddedLine get(int index) {
    return lines().get(index);
  }

  @Override
  public int size() {
    return lines().size();
  }
}
