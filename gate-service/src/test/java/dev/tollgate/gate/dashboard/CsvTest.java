package dev.tollgate.gate.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesSeparatorsQuotesAndLineBreaks() {
    assertEquals("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n",
        Csv.line(Arrays.asList("a", "b,c", "say \"hi\"", "two\nlines", null)));
  }

  @Test
  void neutralisesWhatASpreadsheetWouldRunAsAFormula() {
    // An override reason is typed by a person: "=HYPERLINK(...)" must stay text when the export is opened.
    assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", Csv.cell("=HYPERLINK(\"http://x\")"));
    assertEquals("\"'+1\"", Csv.cell("+1"));
    assertEquals("\"'-2\"", Csv.cell("-2"));
    assertEquals("\"'@SUM(A1)\"", Csv.cell("@SUM(A1)"));
    assertEquals("plain text", Csv.cell("plain text"));
  }
}
