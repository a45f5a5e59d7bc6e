package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Aho–Corasick automaton against a naive search: same wakes, in order, and line ends. */
class KeywordIndexTest {
  private static final List<KeywordIndex.Entry> ENTRIES = List.of(
      new KeywordIndex.Entry("token", false, 0), new KeywordIndex.Entry("ken", false, 1),
      new KeywordIndex.Entry("AKIA", true, 2), new KeywordIndex.Entry("SK", true, 3),
      new KeywordIndex.Entry("password", false, 4), new KeywordIndex.Entry("pass", false, 5),
      new KeywordIndex.Entry("token", false, 6));

  @Test
  void findsEveryOccurrenceLikeANaiveSearch() {
    KeywordIndex index = KeywordIndex.build(ENTRIES);
    Random random = new Random(1);
    String alphabet = "tokenAKIASKpaswordx \n_";
    for (int round = 0; round < 200; round++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = b.toString();
      assertEquals(naive(text), run(index, text), text);
    }
  }

  @Test
  void matchesCaseInsensitivelyExceptExactKeywords() {
    KeywordIndex index = KeywordIndex.build(ENTRIES);
    assertEquals(List.of("0@0", "6@0", "1@2"), run(index, "TOKEN"));
    assertEquals(List.of("2@1"), run(index, "xAKIAakia"));
    assertEquals(List.of("3@2"), run(index, "taSKsk"));
  }

  @Test
  void reportsLineEnds() {
    assertEquals(List.of("5@0", "4@0", "|8", "5@9"), run(KeywordIndex.build(ENTRIES), "password\npass"));
  }

  @Test
  void rejectsKeywordsThatCannotBeMatchedOnBytes() {
    assertThrows(IllegalArgumentException.class, () -> KeywordIndex.build(List.of(new KeywordIndex.Entry("x", false, 0))));
    assertThrows(IllegalArgumentException.class, () -> KeywordIndex.build(List.of(new KeywordIndex.Entry("pässword", false, 0))));
  }

  private static List<String> run(KeywordIndex index, String text) {
    List<String> out = new ArrayList<>();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    index.scan(bytes, 0, bytes.length, new KeywordIndex.Sink() {
      @Override
      public void wake(int rule, int start) {
        out.add(rule + "@" + start);
      }

      @Override
      public void lineEnd(int offset) {
        out.add("|" + offset);
      }
    });
    return out;
  }

  /** Wakes sorted by end offset, then by keyword length (longest first), then rule, as the automaton reports them. */
  private static List<String> naive(String text) {
    List<long[]> hits = new ArrayList<>();
    for (int end = 0; end < text.length(); end++) {
      if (text.charAt(end) == '\n') {
        hits.add(new long[] {end, Long.MAX_VALUE, -1, end});
      }
      for (KeywordIndex.Entry e : ENTRIES) {
        int start = end - e.keyword().length() + 1;
        if (start < 0) {
          continue;
        }
        String piece = text.substring(start, end + 1);
        boolean hit = e.exact() ? piece.equals(e.keyword()) : piece.toLowerCase(Locale.ROOT).equals(e.keyword().toLowerCase(Locale.ROOT));
        if (hit) {
          hits.add(new long[] {end, e.keyword().length(), e.rule(), start});
        }
      }
    }
    hits.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[2], b[2]));
    List<String> out = new ArrayList<>();
    for (long[] h : hits) {
      out.add(h[2] < 0 ? "|" + h[3] : h[2] + "@" + h[3]);
    }
    return out;
  }
}
