package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DsseTest {
  @Test
  void paeIsTheSpecsEncoding() {
    // The DSSE protocol's example: PAE("http://example.com/HelloWorld", "hello world").
    assertEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world",
        new String(Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8));
  }

  @Test
  void lengthsCountBytesNotCharacters() {
    assertEquals("DSSEv1 1 t 3 é!", new String(Dsse.pae("t", "é!".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
  }

  @Test
  void anEnvelopeRoundTripsAndUrlSafeBase64IsAccepted() {
    byte[] payload = {(byte) 0xfb, (byte) 0xff, 1};
    byte[] envelope = Dsse.envelope("application/x", payload, "k", new byte[] {(byte) 0xfe, 2});
    Dsse.Envelope e = Dsse.parse(envelope);
    assertArrayEquals(payload, e.payload());
    assertEquals("k", e.signatures().get(0).keyId());
    Dsse.Envelope urlSafe = Dsse.parse("{\"payload\":\"-_8B\",\"payloadType\":\"application/x\",\"signatures\":[{\"sig\":\"_gI\"}]}"
        .getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(payload, urlSafe.payload());
    assertEquals("", urlSafe.signatures().get(0).keyId(), "an unset keyid is the same as empty");
  }

  @Test
  void whatIsNotAnEnvelopeIsRefusedWithTheReason() {
    for (String bad : new String[] {"nope", "[]", "{\"payload\":\"e30=\"}", "{\"payload\":1,\"payloadType\":\"t\",\"signatures\":[]}",
        "{\"payload\":\"***\",\"payloadType\":\"t\",\"signatures\":[]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\"}]}"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dsse.parse(bad.getBytes(StandardCharsets.UTF_8)));
      assertEquals(true, e.getMessage().startsWith("not "), e.getMessage());
    }
  }
}
