package dev.tollgate.probes.repo;

import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.diff.Sequence;
import org.eclipse.jgit.diff.SequenceComparator;

/**
 * JGit's histogram diff of two texts, line by line as {@link RawTextComparator#DEFAULT} compares them, with the same
 * {@link EditList} as {@code DiffAlgorithm.getAlgorithm(HISTOGRAM).diff(RawTextComparator.DEFAULT, a, b)}, at a
 * fraction of the cost: the lines the algorithm compares are interned to ints first, so each of its many comparisons
 * (every repeat of a line in {@code HistogramDiffIndex.scanA}, every step of growing a common run, the Myers fallback,
 * {@code normalize}) is an int comparison instead of a byte-by-byte one.
 *
 * <p>Why the result is identical (JGit 7.8 sources: {@code DiffAlgorithm.diff}, {@code LowLevelDiffAlgorithm},
 * {@code HashedSequencePair}, {@code HashedSequenceComparator}, {@code HistogramDiff}, {@code HistogramDiffIndex},
 * {@code MyersDiff}): the very same {@code HistogramDiff} runs, and it sees lines only through the comparator's three
 * methods, which answer exactly as {@code RawTextComparator.DEFAULT}'s do:
 * <ul>
 *   <li>{@code reduceCommonStartEnd} delegates to {@code DEFAULT}'s own (its byte-level fast path included), so the
 *       region left to diff is the same {@code Edit};</li>
 *   <li>{@code hash} returns {@code DEFAULT.hash} of the line, computed once: the index's buckets
 *       ({@code hash * 0x9e370001 >>> keyShift}), hence its chains, their order and the chain-length limit (64) that
 *       falls back to Myers, are the same;</li>
 *   <li>{@code equals} is true exactly when {@code DEFAULT.equals} is: two lines get the same id only when
 *       {@code DEFAULT.equals} said so while interning (an equivalence relation: byte equality of the line, its
 *       line feed included), and lines outside the interned region are compared by {@code DEFAULT} itself.</li>
 * </ul>
 * {@code DiffAlgorithm.diff} then takes the same branches (insert, delete, 1×1 replace, empty, or the histogram over
 * the region and {@code normalize} over the whole texts), so every comparison answers as before and the edits are the
 * same. {@code LineDiffTest} checks it on adversarial inputs and {@code bench/diff-compare.sh} on real histories.
 */
final class LineDiff {
  private static final DiffAlgorithm HISTOGRAM = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM);

  private LineDiff() {}

  /** The histogram diff of {@code a} to {@code b}, as JGit computes it over {@link RawTextComparator#DEFAULT}. */
  static EditList diff(RawText a, RawText b) {
    return HISTOGRAM.diff(InternedComparator.INSTANCE, new Lines(a), new Lines(b));
  }

  /** A text's lines, with an id and the DEFAULT hash for each line of the region being diffed (id 0: not interned). */
  static final class Lines extends Sequence {
    final RawText text;
    final int[] ids;
    final int[] hashes;

    Lines(RawText text) {
      this.text = text;
      this.ids = new int[text.size()];
      this.hashes = new int[text.size()];
    }

    @Override
    public int size() {
      return ids.length;
    }
  }

  /** Answers as {@link RawTextComparator#DEFAULT} does; see the class comment. */
  static final class InternedComparator extends SequenceComparator<Lines> {
    static final InternedComparator INSTANCE = new InternedComparator();

    @Override
    public boolean equals(Lines a, int ai, Lines b, int bi) {
      int x = a.ids[ai];
      int y = b.ids[bi];
      if (x != 0 && y != 0) {
        return x == y;
      }
      return RawTextComparator.DEFAULT.equals(a.text, ai, b.text, bi);
    }

    @Override
    public int hash(Lines seq, int ptr) {
      return seq.ids[ptr] != 0 ? seq.hashes[ptr] : RawTextComparator.DEFAULT.hash(seq.text, ptr);
    }

    /**
     * The region {@code DEFAULT} leaves to diff; when the histogram will run on it (a replace larger than 1×1, as
     * {@code DiffAlgorithm.diff} decides), its lines are interned first.
     */
    @Override
    public Edit reduceCommonStartEnd(Lines a, Lines b, Edit e) {
      Edit region = RawTextComparator.DEFAULT.reduceCommonStartEnd(a.text, b.text, e);
      if (region.getType() == Edit.Type.REPLACE && (region.getLengthA() > 1 || region.getLengthB() > 1)) {
        intern(a, region.getBeginA(), region.getEndA(), b, region.getBeginB(), region.getEndB());
      }
      return region;
    }
  }

  /** Gives each distinct line of a[beginA, endA) and b[beginB, endB) an id from 1 up, equal ids for equal lines. */
  private static void intern(Lines a, int beginA, int endA, Lines b, int beginB, int endB) {
    int n = (endA - beginA) + (endB - beginB);
    int[] slots = new int[Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1]; // ids; load factor at most 1/2
    // The first line seen with each id, to compare later lines against.
    Lines[] firstSeq = new Lines[n + 1];
    int[] firstLine = new int[n + 1];
    int[] next = {1};
    intern(a, beginA, endA, slots, firstSeq, firstLine, next);
    intern(b, beginB, endB, slots, firstSeq, firstLine, next);
  }

  private static void intern(Lines seq, int begin, int end, int[] slots, Lines[] firstSeq, int[] firstLine, int[] next) {
    int mask = slots.length - 1;
    int shift = 32 - Integer.numberOfTrailingZeros(slots.length);
    for (int i = begin; i < end; i++) {
      int hash = RawTextComparator.DEFAULT.hash(seq.text, i);
      int slot = (hash * 0x9e3779b9) >>> shift; // the high bits of a multiplicative mix: the line hash is weak low
      int id;
      while ((id = slots[slot]) != 0) {
        Lines other = firstSeq[id];
        int line = firstLine[id];
        if (other.hashes[line] == hash && RawTextComparator.DEFAULT.equals(other.text, line, seq.text, i)) {
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (id == 0) {
        id = next[0]++;
        slots[slot] = id;
        firstSeq[id] = seq;
        firstLine[id] = i;
      }
      seq.ids[i] = id;
      seq.hashes[i] = hash;
    }
  }
}
