package dev.tollgate.contracts.warmup;

import dev.tollgate.contracts.Json;
import java.util.List;

/**
 * Compiles the JSON codecs before ready: writes and reads messages as the services do with every record
 * ({@link Json#write}, {@link Json#read} and {@link Json#readRetained}), as a unit of a {@link WarmupLoop}. Each must
 * read back equal, or the warm-up fails: a codec that loses data warms nothing.
 */
public final class JsonWarmup {
  private JsonWarmup() {}

  /** Writes and reads each message once with each reader; each must read back equal. */
  public static void roundTrip(List<?> messages) {
    for (Object m : messages) {
      byte[] bytes = Json.write(m);
      if (!m.equals(Json.read(bytes, m.getClass())) || !m.equals(Json.readRetained(bytes, m.getClass()))) {
        throw new IllegalStateException("a " + m.getClass().getSimpleName() + " did not read back as written");
      }
    }
  }
}
