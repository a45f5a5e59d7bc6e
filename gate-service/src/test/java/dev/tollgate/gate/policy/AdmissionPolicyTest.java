package dev.tollgate.gate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;

/** Reading an environment's {@code locks} and {@code queue} sections. */
class AdmissionPolicyTest {
  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  @Test
  void anIntegerPastTheIntRangeIsRefusedNotTruncated() throws Exception {
    // 4294967496 = 2^32 + 200: its low 32 bits read as 200, a valid cap.
    var locks = assertThrows(IllegalArgumentException.class, () -> AdmissionPolicy.from(json("{\"maxWaiting\": 4294967496}"),
        MissingNode.getInstance(), "environments.prod", AdmissionPolicy.DEFAULT));
    assertTrue(locks.getMessage().startsWith("environments.prod.locks.maxWaiting: expected an integer from 1 to"),
        locks.getMessage());
    var queue = assertThrows(IllegalArgumentException.class, () -> AdmissionPolicy.from(MissingNode.getInstance(),
        json("{\"maxInFlight\": 4294967297}"), "environments.prod", AdmissionPolicy.DEFAULT));
    assertTrue(queue.getMessage().startsWith("environments.prod.queue.maxInFlight: expected an integer from 1 to 100"),
        queue.getMessage());
  }

  @Test
  void passesAnIntegerInRange() throws Exception {
    // Safe: within the range, read as written.
    assertEquals(200, AdmissionPolicy.from(json("{\"maxWaiting\": 200}"), json("{\"maxInFlight\": 3}"), "environments.prod",
        AdmissionPolicy.DEFAULT).maxWaiting());
  }
}
