package dev.tollgate.gate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 20 item 15: a malformed JSON body's 400 carried Jackson's internal hints. */
class RequestFieldsTest {
  static String rejected(String body) {
    RequestFields.Rejected e = assertThrows(RequestFields.Rejected.class,
        () -> RequestFields.object(body.getBytes(StandardCharsets.UTF_8), Set.of("repository", "environment")));
    assertEquals(400, e.status);
    return e.getMessage();
  }

  @Test
  void malformedBodiesAreDescribedInOurWordsWithTheirPlace() {
    assertEquals("body is not a JSON object: it is not valid JSON (line 1, column 3)", rejected("{ repository: 1}"));
    assertEquals("body is not a JSON object: it ends before the JSON is complete (line 2, column 15)",
        rejected("{\"repository\":\n \"/tmp/shop\", "));
    assertEquals("body is not a JSON object: a field appears twice (line 1, column 33)",
        rejected("{\"environment\":\"a\",\"environment\":\"b\"}"));
    assertEquals("expected a JSON object body", rejected("[1, 2]"));
  }
}
