package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.junit.jupiter.api.Test;

/** {@link LineDiff} gives exactly JGit's histogram diff over {@link RawTextComparator#DEFAULT}, on inputs chosen to break it. */
class LineDiffTest {
  private static final DiffAlgorithm JGIT = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM);

  @Test
  void emptyTextsOnEitherSide() {
    assertSameAsJGit("", "");
    assertSameAsJGit("", "a\nb\n");
    assertSameAsJGit("a\nb\n", "");
    assertSameAsJGit("\n", "");
    assertSameAsJGit("", "\n\n\n");
  }

  @Test
  void missingTrailingNewline() {
    assertSameAsJGit("a\nb", "a\nb\n");
    assertSameAsJGit("a\nb\n", "a\nb");
    assertSameAsJGit("a\nb", "a\nc");
    assertSameAsJGit("x\na\nb", "y\na\nb\nc");
    assertSameAsJGit("a", "a\na\na");
    assertSameAsJGit("a\na\na", "a");
  }

  @Test
  void carriageReturnsAreContent() {
    assertSameAsJGit("a\r\nb\r\nc\r\n", "a\nb\nc\n");
    assertSameAsJGit("a\r\nb\nc\r\n", "a\nb\r\nc\r\nd\r\n");
    assertSameAsJGit("a\rb\rc\n", "a\rb\nc\n");
    assertSameAsJGit("a\r\n\r\nb\r\n", "a\r\nb\r\n\r\n");
  }

  @Test
  void whitespaceOnlyDifferencesAreDifferences() {
    assertSameAsJGit("a\n  b\nc\n", "a\n\tb\nc\n");
    assertSameAsJGit("a \nb\n", "a\nb \n");
    assertSameAsJGit(" \n\n \n", "\n \n\n");
    EditList edits = LineDiff.diff(text("a\n  b\nc\n"), text("a\n\tb\nc\n"));
    assertFalse(edits.isEmpty(), "DEFAULT ignores no whitespace");
  }

  @Test
  void veryLongLinesDifferingAtTheirEnds() {
    String longLine = "x".repeat(200_000);
    assertSameAsJGit(longLine + "a\n" + longLine + "\n", longLine + "b\n" + longLine + "\n");
    assertSameAsJGit(longLine + "\nq\n" + longLine, "q\n" + longLine + "\n" + longLine);
    assertSameAsJGit(longLine, longLine + "\n");
  }

  @Test
  void linesRepeatedMoreThanTheChainLimitFallBackToMyersAsJGitDoes() {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    // Every line of the old text occurs 100 times (over the limit of 64): the histogram finds no usable line.
    for (int i = 0; i < 200; i++) {
      a.append(i % 2 == 0 ? "{\n" : "}\n");
      b.append(i % 3 == 0 ? "{\n" : "}\n");
    }
    assertTakesTheFallback(a.toString(), b.toString());
    assertSameAsJGit(a.toString(), b.toString());
  }

  @Test
  void hashCollisionsAreTellApartAndFillTheIndexChainsAsInJGit() {
    // DEFAULT's line hash is djb2 (h * 33 + byte): "Ab" and "BA" collide, so does every string of 7 such blocks.
    List<String> colliding = new ArrayList<>();
    for (int bits = 0; bits < 128; bits++) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < 7; k++) {
        line.append((bits >> k & 1) == 0 ? "Ab" : "BA");
      }
      colliding.add(line + "\n");
    }
    RawText all = text(String.join("", colliding));
    for (int i = 1; i < all.size(); i++) {
      assertEquals(RawTextComparator.DEFAULT.hash(all, 0), RawTextComparator.DEFAULT.hash(all, i), "line " + i + " collides");
    }
    // 128 distinct lines in one bucket: the index's chain limit (64) sends JGit to Myers.
    List<String> shuffled = new ArrayList<>(colliding);
    Collections.shuffle(shuffled, new Random(7));
    String a = String.join("", colliding);
    String b = String.join("", shuffled.subList(0, 100));
    assertTakesTheFallback(a, b);
    assertSameAsJGit(a, b);
    // A few colliding lines: the histogram itself must tell them apart.
    assertSameAsJGit("AbAb\nx\nBABA\ny\nAbBA\n", "BABA\nx\nAbAb\nBAAb\ny\n");
  }

  @Test
  void oneLineReplacedAndCommonStartAndEndOnly() {
    assertSameAsJGit("a\nb\nc\n", "a\nx\nc\n");
    assertSameAsJGit("a\nb\nc\n", "a\nb\nc\n");
    assertSameAsJGit("a\nb\nc\n", "a\nb\nb\nc\n");
    assertSameAsJGit("a\nb\nb\nb\nc\n", "a\nb\nc\n");
  }

  @Test
  void slidableInsertionsAndDeletionsAreNormalizedAsInJGit() {
    assertSameAsJGit("a\nb\nc\na\nb\nc\n", "a\nb\nc\na\nb\nc\na\nb\nc\n");
    assertSameAsJGit("}\n\nf() {\n}\n\n", "}\n\ng() {\n}\n\nf() {\n}\n\n");
    assertSameAsJGit("x\n\n\n\ny\n", "x\n\n\n\n\n\ny\nx\n\n\n");
  }

  @Test
  void sourceFilesOfTheLoadBench() {
    assertSameAsJGit(javaSource(3, 1), javaSource(3, 2));
    assertSameAsJGit(javaSource(3, 1), javaSource(3, 1) + "  // added\n");
    assertSameAsJGit(javaSource(3, 1).replace("  }\n\n", "  }\n"), javaSource(3, 7));
  }

  @Test
  void randomEditsOverFewDistinctLines() {
    Random random = new Random(24);
    String[] alphabet = {"a\n", "b\n", "}\n", "\n", "  \n", "a\r\n", "AbBA\n", "BAAb\n", "return x;\n", "{\n"};
    for (int run = 0; run < 3000; run++) {
      int distinct = 2 + random.nextInt(alphabet.length - 1);
      List<String> a = new ArrayList<>();
      int n = random.nextInt(run % 10 == 0 ? 400 : 40);
      for (int i = 0; i < n; i++) {
        a.add(alphabet[random.nextInt(distinct)]);
      }
      List<String> b = new ArrayList<>(a);
      int edits = random.nextInt(6);
      for (int e = 0; e < edits; e++) {
        int at = b.isEmpty() ? 0 : random.nextInt(b.size());
        switch (random.nextInt(3)) {
          case 0 -> b.add(at, alphabet[random.nextInt(alphabet.length)]);
          case 1 -> {
            if (!b.isEmpty()) {
              b.remove(at);
            }
          }
          default -> {
            if (!b.isEmpty()) {
              b.set(at, alphabet[random.nextInt(alphabet.length)]);
            }
          }
        }
      }
      String before = String.join("", a);
      String after = String.join("", b);
      if (random.nextBoolean() && after.endsWith("\n")) {
        after = after.substring(0, after.length() - 1); // no newline at the end of the file
      }
      assertSameAsJGit(before, after);
    }
  }

  @Test
  void manyDistinctLinesFillTheInterningTableAsInJGit() {
    // 20,000 distinct lines over a 2^16-slot table: probes wrap around and ids run high, as in a large real file.
    Random random = new Random(28);
    List<String> a = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      a.add(Long.toHexString(random.nextLong()) + (i % 7 == 0 ? "\r\n" : "\n"));
    }
    List<String> b = new ArrayList<>(a);
    for (int e = 0; e < 300; e++) {
      int at = random.nextInt(b.size());
      switch (random.nextInt(3)) {
        case 0 -> b.add(at, a.get(random.nextInt(a.size()))); // a repeat: an id seen before, elsewhere
        case 1 -> b.remove(at);
        default -> b.set(at, Long.toHexString(random.nextLong()) + "\n");
      }
    }
    assertSameAsJGit(String.join("", a), String.join("", b));
  }

  private static void assertSameAsJGit(String a, String b) {
    EditList expected = JGIT.diff(RawTextComparator.DEFAULT, text(a), text(b));
    assertEquals(expected, LineDiff.diff(text(a), text(b)), () -> "diff of\n" + abbreviate(a) + "\nto\n" + abbreviate(b));
  }

  /** Proves the input reaches the Myers fallback: without it JGit's histogram gives another answer. */
  private static void assertTakesTheFallback(String a, String b) {
    HistogramDiff noFallback = new HistogramDiff();
    noFallback.setFallbackAlgorithm(null);
    assertNotEquals(noFallback.diff(RawTextComparator.DEFAULT, text(a), text(b)),
        JGIT.diff(RawTextComparator.DEFAULT, text(a), text(b)), "the input reaches the Myers fallback");
  }

  private static RawText text(String s) {
    return new RawText(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }

  private static String javaSource(int i, int version) {
    StringBuilder b = new StringBuilder("package com.acme.shop;\n\n/** Service " + i + ". */\npublic final class Service" + i + " {\n");
    for (int m = 0; m < 40; m++) {
      b.append("  int compute").append(m).append("(int x) {\n    return x * ").append(version + m).append(" + ").append(i)
          .append(";\n  }\n\n");
    }
    return b.append("}\n").toString();
  }
}
