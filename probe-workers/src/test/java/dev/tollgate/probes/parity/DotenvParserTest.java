package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DotenvParserTest {
  private static String render(String text) throws ConfigSyntaxException {
    return DotenvParser.parse(text).stream().map(a -> a.line() + " " + a.key() + "=[" + a.value() + "]")
        .collect(Collectors.joining("\n"));
  }

  @Test
  void readsUnquotedValuesTrimmedAndCutAtComments() throws Exception {
    assertEquals("""
        2 PORT=[8080]
        3 URL=[http://h/#frag]
        4 NAME=[a b]
        5 EMPTY=[]
        6 EXPORTED=[yes]
        7 COLON=[x]""", render("""
        # comment
        PORT = 8080
        URL=http://h/#frag
        NAME=a b   # trailing comment
        EMPTY=
        export EXPORTED=yes
        COLON: x
        """));
  }

  @Test
  void expandsEscapesOnlyInDoubleQuotes() throws Exception {
    List<DotenvParser.Assignment> a = DotenvParser.parse("""
        D="line1\\nline2 \\"q\\" \\$HOME # not a comment" # comment
        S='raw \\n stays # too'
        B=`tick 'n "quote"`
        """);
    assertEquals("line1\nline2 \"q\" $HOME # not a comment", a.get(0).value());
    assertEquals("raw \\n stays # too", a.get(1).value());
    assertEquals("tick 'n \"quote\"", a.get(2).value());
  }

  @Test
  void quotedValuesMaySpanLinesAndLineNumbersFollow() throws Exception {
    assertEquals("""
        1 KEY=[-----BEGIN
        abc
        -----END]
        4 NEXT=[1]""", render("""
        KEY="-----BEGIN
        abc
        -----END"
        NEXT=1
        """));
  }

  @Test
  void acceptsWindowsLineEndings() throws Exception {
    assertEquals("1 A=[1]\n2 B=[two]", render("A=1\r\nB=\"two\"\r\n"));
  }

  @Test
  void rejectsUnterminatedQuotesWithoutQuotingTheValue() {
    ConfigSyntaxException e = assertThrows(ConfigSyntaxException.class, () -> DotenvParser.parse("A=1\nPASSWORD=\"hunter2\n"));
    assertEquals(2, e.line());
    assertEquals("unterminated double-quoted value", e.getMessage());
  }

  @Test
  void rejectsTextAfterClosingQuoteAndLinesWithoutAssignment() {
    assertThrows(ConfigSyntaxException.class, () -> DotenvParser.parse("A='x' y\n"));
    ConfigSyntaxException e = assertThrows(ConfigSyntaxException.class, () -> DotenvParser.parse("A=1\njust words\n"));
    assertEquals(2, e.line());
  }
}
