package dev.tollgate.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson configuration used for every message, by both services: ISO-8601 instants, unknown fields
 * ignored, unknown enum values read as {@code UNKNOWN}, absent optional fields omitted.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
      .build();
  /**
   * The same configuration, but every string read is interned: what a gate keeps in memory for days (its views of
   * thousands of evaluations) repeats the same ids, commits, repositories, rule ids and messages in every record of
   * an evaluation and across evaluations; one instance each instead of a copy per record.
   */
  private static final ObjectMapper RETAINING = MAPPER.copy()
      .registerModule(new SimpleModule("interned-strings").addDeserializer(String.class, new InternedStrings()));

  private Json() {}

  /** The shared mapper. Do not reconfigure it; {@code copy()} it if you need something else. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Serializes a message to UTF-8 JSON. */
  public static byte[] write(Object message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + message.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Serializes to a JSON string (logs and tests). */
  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a message.
   *
   * @throws MalformedMessageException when the bytes are not JSON, miss a required field, or carry a schema
   *     version this code cannot read
   */
  public static <T> T read(byte[] bytes, Class<T> type) {
    return read(MAPPER, bytes, type);
  }

  private static <T> T read(ObjectMapper mapper, byte[] bytes, Class<T> type) {
    if (bytes == null) {
      throw new MalformedMessageException(type.getSimpleName() + ": record has no value");
    }
    try {
      return mapper.readValue(bytes, type);
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      String detail = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
      throw new MalformedMessageException(type.getSimpleName() + ": " + detail, e);
    }
  }

  /**
   * Reads a message that will be kept in memory for long (views rebuilt from Kafka): as {@link #read(byte[], Class)},
   * with every string interned (the JVM's string table is weak: a string nothing refers to any more is collected).
   */
  public static <T> T readRetained(byte[] bytes, Class<T> type) {
    return read(RETAINING, bytes, type);
  }

  /** Reads JSON text (tests and files). */
  public static <T> T read(String text, Class<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Strings as Jackson reads them, interned. */
  private static final class InternedStrings extends StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;

    InternedStrings() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String s = StringDeserializer.instance.deserialize(p, ctx);
      return s == null ? null : s.intern();
    }
  }

  /** A record that cannot be read as the message its topic carries. */
  public static final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
      super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
