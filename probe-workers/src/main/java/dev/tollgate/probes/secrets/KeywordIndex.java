package dev.tollgate.probes.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aho–Corasick automaton over bytes for the rules' keywords, compiled to a dense DFA so the scan costs one table
 * look-up per byte (issue #3: most lines must never reach a regular expression).
 *
 * <p>Matching is ASCII case-insensitive; a keyword marked exact is confirmed against the original bytes when found
 * (token prefixes such as {@code AKIA} or {@code SK} are case-sensitive, and folding them would wake the rule on
 * every "task" or "akia"). States with output are numbered first, so the hot loop tests {@code state < outStates}.
 */
final class KeywordIndex {
  /** One keyword: its bytes (original case), whether case matters, and the rules it wakes. */
  record Keyword(byte[] bytes, boolean exact, int[] rules) {}

  private final int[] classOf = new int[256];
  /** log2 of a row's width: the byte classes rounded up to a power of two, so a row is found by a shift. */
  private final int shift;
  /**
   * Next state: {@code delta[state << shift | classOf[b]]}. 16 bits a cell, states numbered shallow first: the table
   * of some 3,000 states stays small enough for the core's cache, which the one-look-up-per-byte loop lives on; a
   * shift instead of a multiplication shortens the chain of dependent steps each byte waits on.
   */
  private final char[] delta;
  /** States below this number have output. */
  private final int outStates;
  /** Keyword ids reported in each output state. */
  private final int[][] outputs;
  private final Keyword[] keywords;
  private final int root;
  /** The state after a line break (reached from every state by one): half a million lines a second pass it. */
  private final int lineState;

  private KeywordIndex(int shift, char[] delta, int outStates, int[][] outputs, Keyword[] keywords, int[] classOf,
      int root) {
    this.shift = shift;
    this.delta = delta;
    this.outStates = outStates;
    this.outputs = outputs;
    this.keywords = keywords;
    this.root = root;
    System.arraycopy(classOf, 0, this.classOf, 0, 256);
    this.lineState = delta[root << shift | classOf['\n']];
  }

  /** Receives each rule woken at a byte offset (the offset of the keyword's first byte), and each line end. */
  interface Sink {
    void wake(int rule, int startOffset);

    /** A {@code '\n'} at {@code offset}. */
    void lineEnd(int offset);

    /** True when the sink needs nothing more: {@link #scanUntilDone} stops (read only after a report). */
    default boolean done() {
      return false;
    }
  }

  /** Pseudo-rule of the line-break keyword: line ends ride the same output check as keywords, one branch per byte. */
  private static final int LINE_END = -1;

  /** One keyword of one rule. */
  record Entry(String keyword, boolean exact, int rule) {}

  /**
   * Builds the automaton.
   *
   * @throws IllegalArgumentException when a keyword is shorter than 2 characters or not printable ASCII
   */
  static KeywordIndex build(List<Entry> entries) {
    // Merge keywords that fold to the same bytes, keeping exact ones apart so their case can still be checked.
    Map<String, Keyword> merged = new LinkedHashMap<>();
    for (Entry e : entries) {
      String kw = e.keyword();
      if (kw.length() < 2 || !kw.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("keyword: expected at least 2 printable ASCII characters, got \"" + kw + "\"");
      }
      String key = e.exact() ? "=" + kw : "~" + kw.toLowerCase(java.util.Locale.ROOT);
      merged.merge(key, new Keyword(kw.getBytes(StandardCharsets.US_ASCII), e.exact(), new int[] {e.rule()}),
          (a, b) -> new Keyword(a.bytes(), a.exact(), union(a.rules(), b.rules())));
    }
    merged.put("\n", new Keyword(new byte[] {'\n'}, true, new int[] {LINE_END}));
    Keyword[] kws = merged.values().toArray(new Keyword[0]);

    int[] classOf = new int[256];
    int classes = 1; // class 0: a byte no keyword contains
    for (Keyword k : kws) {
      for (byte b : k.bytes()) {
        int lower = fold(b & 0xff);
        if (classOf[lower] == 0) {
          classOf[lower] = classes++;
        }
      }
    }
    for (int c = 'A'; c <= 'Z'; c++) {
      classOf[c] = classOf[c + 32];
    }

    // Trie over classes.
    List<int[]> go = new ArrayList<>();
    List<List<Integer>> own = new ArrayList<>();
    go.add(newRow(classes));
    own.add(new ArrayList<>());
    for (int k = 0; k < kws.length; k++) {
      int s = 0;
      for (byte b : kws[k].bytes()) {
        int c = classOf[b & 0xff];
        if (go.get(s)[c] < 0) {
          go.get(s)[c] = go.size();
          go.add(newRow(classes));
          own.add(new ArrayList<>());
        }
        s = go.get(s)[c];
      }
      own.get(s).add(k);
    }
    int n = go.size();
    if (n > Character.MAX_VALUE) {
      throw new IllegalArgumentException("keywords: " + n + " automaton states, at most " + (int) Character.MAX_VALUE);
    }
    int[] fail = new int[n];
    int[][] dfa = new int[n][];
    List<List<Integer>> out = new ArrayList<>(own);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    List<Integer> breadthFirst = new ArrayList<>(n);
    breadthFirst.add(0);
    dfa[0] = new int[classes];
    for (int c = 0; c < classes; c++) {
      int t = go.get(0)[c];
      dfa[0][c] = t < 0 ? 0 : t;
      if (t > 0) {
        fail[t] = 0;
        queue.add(t);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      breadthFirst.add(s);
      List<Integer> o = new ArrayList<>(own.get(s));
      o.addAll(out.get(fail[s]));
      out.set(s, o);
      dfa[s] = new int[classes];
      for (int c = 0; c < classes; c++) {
        int t = go.get(s)[c];
        if (t < 0) {
          dfa[s][c] = dfa[fail[s]][c];
        } else {
          dfa[s][c] = t;
          fail[t] = dfa[fail[s]][c];
          queue.add(t);
        }
      }
    }

    // Renumber: output states first (the hot loop tests one bound), each group shallow states first (the states
    // ordinary text visits, near the root, share cache lines).
    int[] order = new int[n];
    int[] rank = new int[n];
    int next = 0;
    for (int s : breadthFirst) {
      if (!out.get(s).isEmpty()) {
        order[next++] = s;
      }
    }
    int outStates = next;
    for (int s : breadthFirst) {
      if (out.get(s).isEmpty()) {
        order[next++] = s;
      }
    }
    for (int i = 0; i < n; i++) {
      rank[order[i]] = i;
    }
    int shift = 32 - Integer.numberOfLeadingZeros(classes - 1);
    char[] delta = new char[n << shift];
    int[][] outputs = new int[outStates][];
    for (int i = 0; i < n; i++) {
      int s = order[i];
      for (int c = 0; c < classes; c++) {
        delta[i << shift | c] = (char) rank[dfa[s][c]];
      }
      if (i < outStates) {
        outputs[i] = out.get(s).stream().mapToInt(Integer::intValue).distinct().toArray();
      }
    }
    return new KeywordIndex(shift, delta, outStates, outputs, kws, classOf, rank[0]);
  }

  /**
   * Feeds {@code text[from, to)} through the automaton, reporting every rule woken and every line break, in
   * offset order. Keywords never contain a line break, so a keyword never spans lines.
   */
  void scan(byte[] text, int from, int to, Sink sink) {
    scanUntilDone(text, from, to, sink); // done() is asked only after a report, never per byte
  }

  /**
   * Like {@link #scan}, but stops after the first report on which {@code sink} is {@link Sink#done() done}; returns
   * the offset it stopped after, or {@code to} when it read everything.
   */
  int scanUntilDone(byte[] text, int from, int to, Sink sink) {
    final char[] delta = this.delta;
    final int[] classOf = this.classOf;
    final int shift = this.shift;
    final int outStates = this.outStates;
    int s = root;
    for (int i = from; i < to; i++) {
      s = delta[s << shift | classOf[text[i] & 0xff]];
      if (s < outStates) {
        report(text, i, s, sink);
        if (sink.done()) {
          return i + 1;
        }
      }
    }
    return to;
  }

  private void report(byte[] text, int end, int state, Sink sink) {
    if (state == lineState) {
      sink.lineEnd(end); // no keyword holds a line break: the state after one reports nothing else
      return;
    }
    for (int k : outputs[state]) {
      Keyword kw = keywords[k];
      if (kw.exact() && !sameBytes(text, end, kw.bytes())) {
        continue;
      }
      for (int r : kw.rules()) {
        if (r == LINE_END) {
          sink.lineEnd(end);
        } else {
          sink.wake(r, end - kw.bytes().length + 1);
        }
      }
    }
  }

  private static boolean sameBytes(byte[] text, int end, byte[] kw) {
    int start = end - kw.length + 1;
    if (start < 0) {
      return false;
    }
    for (int i = 0; i < kw.length; i++) {
      if (text[start + i] != kw[i]) {
        return false;
      }
    }
    return true;
  }

  private static int fold(int b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
  }

  private static int[] newRow(int classes) {
    int[] row = new int[classes];
    Arrays.fill(row, -1);
    return row;
  }

  private static int[] union(int[] a, int[] b) {
    return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().toArray();
  }
}
