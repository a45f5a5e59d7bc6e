/*
 * State and Index below are ports of JGit's HistogramDiff and HistogramDiffIndex:
 * Copyright (C) 2010, Google Inc. and others
 *
 * This program and the accompanying materials are made available under the
 * terms of the Eclipse Distribution License v. 1.0 which is available at
 * https://www.eclipse.org/org/documents/edl-v10.php.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

package dev.tollgate.probes.repo;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HashedSequencePair;
import org.eclipse.jgit.diff.LowLevelDiffAlgorithm;
import org.eclipse.jgit.diff.MyersDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.diff.Sequence;
import org.eclipse.jgit.diff.SequenceComparator;

/**
 * JGit's histogram diff of two texts over {@link RawTextComparator#DEFAULT}, with the same {@link EditList} as
 * {@code DiffAlgorithm.getAlgorithm(HISTOGRAM).diff(RawTextComparator.DEFAULT, a, b)} at a fraction of its cost: the
 * lines of the region left to diff are interned to ints once, and JGit's histogram then runs over int arrays, so each
 * of its many comparisons (every repeat of a line while indexing, every step of growing a common run) is an int
 * comparison instead of a virtual call through three comparators and a byte-by-byte compare.
 *
 * <p>Why the edits are identical (JGit 7.8 sources of {@code DiffAlgorithm}, {@code LowLevelDiffAlgorithm},
 * {@code HashedSequencePair}, {@code HistogramDiff} and {@code HistogramDiffIndex}, unchanged since 2023):
 * <ul>
 *   <li>{@link DiffAlgorithm#diff} itself still runs, with {@code DEFAULT}: the same reduction of the common start and
 *       end (its byte-level fast path included), the same choice of insert, delete, 1×1 replace or empty, and the same
 *       {@code normalize} (slides edits down) over the whole texts. Only {@link #diffNonCommon} is ours.</li>
 *   <li>There, as {@code LowLevelDiffAlgorithm} does, each line's hash is {@code cmp.hash} (so {@code DEFAULT}'s
 *       hash), and two lines get the same id exactly when {@code cmp.equals} says so ({@code DEFAULT}'s equality is
 *       byte equality of the line, its line feed included: an equivalence). {@code HashedSequenceComparator.equals}
 *       (equal hashes and {@code cmp.equals}) is then exactly "equal ids".</li>
 *   <li>{@link State} and {@link Index} are {@code HistogramDiff.State} and {@code HistogramDiffIndex}, statement for
 *       statement, with {@code cmp.equals(x, i, y, j)} read as {@code idsX[i] == idsY[j]} and {@code cmp.hash} as the
 *       hash array: the same buckets ({@code hash * 0x9e370001 >>> keyShift}), chains in the same order, the same
 *       limit of 64 per chain and per count, and on it the same fallback, JGit's own {@link MyersDiff}, given
 *       sequences whose comparator answers as above.</li>
 * </ul>
 * {@code LineDiffTest} checks it on adversarial inputs and {@code bench/diff-compare.sh} on real histories.
 */
final class LineDiff extends DiffAlgorithm {
  private static final LineDiff INSTANCE = new LineDiff();

  /** {@code HistogramDiff}'s fallback, taken as it takes it (a low-level algorithm: diffs a region of hashed sequences). */
  private static final LowLevelDiffAlgorithm MYERS = (LowLevelDiffAlgorithm) MyersDiff.INSTANCE;

  /** As {@code HistogramDiff}'s default: above this many distinct lines in a bucket, or occurrences, use Myers. */
  private static final int MAX_CHAIN_LENGTH = 64;

  /** Lines of both sides from which JGit's own histogram diff runs instead (JGit's index refuses 2^28 - 1 in A). */
  private static final int MAX_LINES = 1 << 28;

  private static final DiffAlgorithm JGIT = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM);

  private LineDiff() {}

  /** The histogram diff of {@code a} to {@code b}, as JGit computes it over {@link RawTextComparator#DEFAULT}. */
  static EditList diff(RawText a, RawText b) {
    return INSTANCE.diff(RawTextComparator.DEFAULT, a, b);
  }

  /** What {@code LowLevelDiffAlgorithm.diffNonCommon} does (hash every line, diff the whole region), over ids. */
  @Override
  public <S extends Sequence> EditList diffNonCommon(SequenceComparator<? super S> cmp, S a, S b) {
    if ((long) a.size() + b.size() >= MAX_LINES) {
      // Past what the interning table can index (and what JGit's index takes for A): JGit's own, as before.
      return JGIT.diffNonCommon(cmp, a, b);
    }
    Ids ids = Ids.of(cmp, a, b);
    EditList edits = new EditList();
    new State(edits, ids.a(), ids.b()).diffRegion(new Edit(0, a.size(), 0, b.size()));
    return edits;
  }

  /** A sequence as ids (equal lines, equal ids) with each line's hash. */
  static final class IdSequence extends Sequence {
    final int[] ids;
    final int[] hashes;

    IdSequence(int[] ids, int[] hashes) {
      this.ids = ids;
      this.hashes = hashes;
    }

    @Override
    public int size() {
      return ids.length;
    }
  }

  /** Both sequences interned in one table, so ids compare across them. */
  record Ids(IdSequence a, IdSequence b) {
    static <S extends Sequence> Ids of(SequenceComparator<? super S> cmp, S a, S b) {
      int n = a.size() + b.size();
      int[] slots = new int[Math.max(4, Integer.highestOneBit(Math.max(1, n)) << 2)]; // id per slot, at most half full
      List<S> seqs = List.of(a, b);
      int[] first = new int[n + 1]; // the first line seen with each id (a's i, or a.size() + b's i), to compare against
      int[][] ids = new int[2][];
      int[][] hashes = new int[2][];
      int mask = slots.length - 1;
      int shift = 32 - Integer.numberOfTrailingZeros(slots.length);
      int next = 1;
      for (int s = 0; s < 2; s++) {
        S seq = seqs.get(s);
        ids[s] = new int[seq.size()];
        hashes[s] = new int[seq.size()];
        for (int i = 0; i < seq.size(); i++) {
          int hash = cmp.hash(seq, i);
          int slot = (hash * 0x9e3779b9) >>> shift; // high bits of a multiplicative mix: the line hash is weak in the low
          int id;
          while ((id = slots[slot]) != 0) {
            int fs = first[id] < a.size() ? 0 : 1;
            int fl = fs == 0 ? first[id] : first[id] - a.size();
            if (hashes[fs][fl] == hash && cmp.equals(seqs.get(fs), fl, seq, i)) {
              break;
            }
            slot = (slot + 1) & mask;
          }
          if (id == 0) {
            id = next++;
            slots[slot] = id;
            first[id] = s == 0 ? i : a.size() + i;
          }
          ids[s][i] = id;
          hashes[s][i] = hash;
        }
      }
      return new Ids(new IdSequence(ids[0], hashes[0]), new IdSequence(ids[1], hashes[1]));
    }
  }

  /** {@code HistogramDiff.State} over ids. */
  private static final class State {
    private final EditList edits;
    private final IdSequence a;
    private final IdSequence b;
    private final List<Edit> queue = new ArrayList<>();
    /** The sequences as the Myers fallback takes them, made on the first fallback. */
    private HashedSequencePair<IdSequence> hashed;

    State(EditList edits, IdSequence a, IdSequence b) {
      this.edits = edits;
      this.a = a;
      this.b = b;
    }

    void diffRegion(Edit r) {
      diffReplace(r);
      while (!queue.isEmpty()) {
        diff(queue.remove(queue.size() - 1));
      }
    }

    private void diffReplace(Edit r) {
      Edit lcs = new Index(a, b, r).findLongestCommonSequence();
      if (lcs != null) {
        if (lcs.isEmpty()) {
          edits.add(r); // nothing in common: replace the whole region
        } else {
          queue.add(r.after(lcs));
          queue.add(r.before(lcs));
        }
      } else {
        if (hashed == null) {
          hashed = new HashedSequencePair<>(IdComparator.INSTANCE, a, b);
        }
        MYERS.diffNonCommon(edits, hashed.getComparator(), hashed.getA(), hashed.getB(), r);
      }
    }

    private void diff(Edit r) {
      switch (r.getType()) {
        case INSERT, DELETE -> edits.add(r);
        case REPLACE -> {
          if (r.getLengthA() == 1 && r.getLengthB() == 1) {
            edits.add(r);
          } else {
            diffReplace(r);
          }
        }
        default -> throw new IllegalStateException();
      }
    }
  }

  /** Equal exactly when the ids are, for JGit's Myers fallback. */
  private static final class IdComparator extends SequenceComparator<IdSequence> {
    static final IdComparator INSTANCE = new IdComparator();

    @Override
    public boolean equals(IdSequence x, int i, IdSequence y, int j) {
      return x.ids[i] == y.ids[j];
    }

    @Override
    public int hash(IdSequence s, int i) {
      return s.hashes[i];
    }
  }

  /** {@code HistogramDiffIndex} over ids: its fields, packing of records and loops, unchanged. */
  private static final class Index {
    private static final int REC_NEXT_SHIFT = 28 + 8;
    private static final int REC_PTR_SHIFT = 8;
    private static final int REC_PTR_MASK = (1 << 28) - 1;
    private static final int REC_CNT_MASK = (1 << 8) - 1;
    private static final int MAX_PTR = REC_PTR_MASK;
    private static final int MAX_CNT = (1 << 8) - 1;

    private final int[] aIds;
    private final int[] bIds;
    private final int[] aHashes;
    private final int[] bHashes;
    private final Edit region;
    private final int[] table;
    private final int keyShift;
    private long[] recs;
    private int recCnt;
    private final int[] next;
    private final int[] recIdx;
    private final int ptrShift;
    private Edit lcs;
    private int cnt;
    private boolean hasCommon;

    Index(IdSequence a, IdSequence b, Edit r) {
      this.aIds = a.ids;
      this.bIds = b.ids;
      this.aHashes = a.hashes;
      this.bHashes = b.hashes;
      this.region = r;
      if (region.getEndA() >= MAX_PTR) {
        throw new IllegalArgumentException("sequence too large for the histogram diff"); // as JGit, at 2^28 lines
      }
      int sz = r.getLengthA();
      int tableBits = tableBits(sz);
      table = new int[1 << tableBits];
      keyShift = 32 - tableBits;
      ptrShift = r.getBeginA();
      recs = new long[Math.max(4, sz >>> 3)];
      next = new int[sz];
      recIdx = new int[sz];
    }

    Edit findLongestCommonSequence() {
      if (!scanA()) {
        return null;
      }
      lcs = new Edit(0, 0);
      cnt = MAX_CHAIN_LENGTH + 1;
      for (int bPtr = region.getBeginB(); bPtr < region.getEndB();) {
        bPtr = tryLongestCommonSequence(bPtr);
      }
      return hasCommon && MAX_CHAIN_LENGTH < cnt ? null : lcs;
    }

    private boolean scanA() {
      // Backwards, so the earliest occurrence of each line is at the start of its chain.
      SCAN:
      for (int ptr = region.getEndA() - 1; region.getBeginA() <= ptr; ptr--) {
        int tIdx = (aHashes[ptr] * 0x9e370001) >>> keyShift;
        int chainLen = 0;
        for (int rIdx = table[tIdx]; rIdx != 0;) {
          long rec = recs[rIdx];
          if (aIds[recPtr(rec)] == aIds[ptr]) {
            int newCnt = recCnt(rec) + 1;
            if (MAX_CNT < newCnt) {
              newCnt = MAX_CNT;
            }
            recs[rIdx] = recCreate(recNext(rec), ptr, newCnt);
            next[ptr - ptrShift] = recPtr(rec);
            recIdx[ptr - ptrShift] = rIdx;
            continue SCAN;
          }
          rIdx = recNext(rec);
          chainLen++;
        }
        if (chainLen == MAX_CHAIN_LENGTH) {
          return false;
        }
        int rIdx = ++recCnt;
        if (rIdx == recs.length) {
          int sz = Math.min(recs.length << 1, 1 + region.getLengthA());
          long[] n = new long[sz];
          System.arraycopy(recs, 0, n, 0, recs.length);
          recs = n;
        }
        recs[rIdx] = recCreate(table[tIdx], ptr, 1);
        recIdx[ptr - ptrShift] = rIdx;
        table[tIdx] = rIdx;
      }
      return true;
    }

    private int tryLongestCommonSequence(int bPtr) {
      int bNext = bPtr + 1;
      int rIdx = table[(bHashes[bPtr] * 0x9e370001) >>> keyShift];
      int beginA = region.getBeginA();
      int beginB = region.getBeginB();
      int endA = region.getEndA();
      int endB = region.getEndB();
      for (long rec; rIdx != 0; rIdx = recNext(rec)) {
        rec = recs[rIdx];
        if (recCnt(rec) > cnt) { // more occurrences in A: not this chain
          if (!hasCommon) {
            hasCommon = same(recPtr(rec), bPtr);
          }
          continue;
        }
        int as = recPtr(rec);
        if (!same(as, bPtr)) {
          continue;
        }
        hasCommon = true;
        TRY_LOCATIONS:
        for (;;) {
          int np = next[as - ptrShift];
          int bs = bPtr;
          int ae = as + 1;
          int be = bs + 1;
          int rc = recCnt(rec);
          while (beginA < as && beginB < bs && same(as - 1, bs - 1)) {
            as--;
            bs--;
            if (1 < rc) {
              rc = Math.min(rc, recCnt(recs[recIdx[as - ptrShift]]));
            }
          }
          while (ae < endA && be < endB && same(ae, be)) {
            if (1 < rc) {
              rc = Math.min(rc, recCnt(recs[recIdx[ae - ptrShift]]));
            }
            ae++;
            be++;
          }
          if (bNext < be) {
            bNext = be;
          }
          if (lcs.getLengthA() < ae - as || rc < cnt) { // longer, or fewer occurrences in A: the new LCS
            lcs = new Edit(as, ae, bs, be);
            cnt = rc;
          }
          if (np == 0) { // chains were built in reverse: index 0 would have been the first as
            break TRY_LOCATIONS;
          }
          while (np < ae) { // the next location is inside the run just examined
            np = next[np - ptrShift];
            if (np == 0) {
              break TRY_LOCATIONS;
            }
          }
          as = np;
        }
      }
      return bNext;
    }

    /** {@code cmp.equals(a, ai, b, bi)} of JGit's index: equal hashes and equal lines, that is equal ids. */
    private boolean same(int ai, int bi) {
      return aIds[ai] == bIds[bi];
    }

    private static long recCreate(int next, int ptr, int cnt) {
      return ((long) next << REC_NEXT_SHIFT) | ((long) ptr << REC_PTR_SHIFT) | cnt;
    }

    private static int recNext(long rec) {
      return (int) (rec >>> REC_NEXT_SHIFT);
    }

    private static int recPtr(long rec) {
      return ((int) (rec >>> REC_PTR_SHIFT)) & REC_PTR_MASK;
    }

    private static int recCnt(long rec) {
      return ((int) rec) & REC_CNT_MASK;
    }

    private static int tableBits(int sz) {
      int bits = 31 - Integer.numberOfLeadingZeros(sz);
      if (bits == 0) {
        bits = 1;
      }
      if (1 << bits < sz) {
        bits++;
      }
      return bits;
    }
  }
}
