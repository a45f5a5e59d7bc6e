package dev.tollgate.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Checks;
import java.util.Locale;

/**
 * Reading a platform's webhook payload (GitHub, GitLab): a field that is missing or malformed refuses the delivery
 * with a 400 that names the field, before anything is published.
 */
public final class WebhookFields {
  private WebhookFields() {}

  /** A refusal with its status, title and detail; nothing was published. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    public final int status;
    public final String title;

    public Refused(int status, String title, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.title = title;
    }
  }

  /** The non-blank text of {@code parent.field}; {@code name} is the field's path in messages. */
  public static String text(JsonNode parent, String field, String name) throws Refused {
    JsonNode node = parent.path(field);
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new Refused(400, "Invalid request", name + " is missing");
    }
    return node.asText();
  }

  /** A full commit id, lower-cased. */
  public static String commit(JsonNode node, String name) throws Refused {
    String value = node.asText("").toLowerCase(Locale.ROOT);
    if (!Checks.isCommit(value)) {
      throw new Refused(400, "Invalid request", name + ": expected a full commit id");
    }
    return value;
  }

  /**
   * The ref a deployment deployed ({@code main}, {@code hotfix/login}), or null when absent or not a plausible ref
   * (over 255 characters, control characters): it only feeds the delivery metrics, so an odd one is dropped, never
   * refused.
   */
  public static String ref(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    String ref = node.asText().strip();
    return ref.isEmpty() || ref.length() > 255 || ref.chars().anyMatch(Character::isISOControl) ? null : ref;
  }

  /** A positive numeric id. */
  public static long positive(JsonNode node, String name) throws Refused {
    if (!node.canConvertToLong() || node.asLong() <= 0) {
      throw new Refused(400, "Invalid request", name + ": expected a positive id");
    }
    return node.asLong();
  }
}
