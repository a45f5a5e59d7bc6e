package dev.tollgate.contracts.lock;

import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.evaluation.Source;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Who acted, in the namespace that authenticated them: an API token's name, a GitHub or GitLab login, a Slack member
 * id. Display names collide across namespaces (a GitHub user may be called like a token), so whoever holds a lock is
 * compared by kind and id ({@link #sameAs}), never by a name alone.
 *
 * @param kind the namespace
 * @param id the name or id within it (a token's name, a login, a Slack member id)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Identity(Kind kind, String id) {

  /** An identity's namespace. */
  public enum Kind {
    /** An API token (also a dashboard session made from it). */
    TOKEN,
    /** A GitHub user, as a signed webhook delivery names them. */
    GITHUB,
    /** A GitLab user, as a signed webhook delivery names them. */
    GITLAB,
    /** A Slack member id ({@code U0…}), as a signed interaction names them. */
    SLACK,
    /** A value this version does not know; read, never written. It is nobody's identity. */
    @JsonEnumDefaultValue UNKNOWN
  }

  public Identity {
    requireValue(kind, "kind");
    requireText(id, "id");
  }

  /** An API token's principal. */
  public static Identity token(String name) {
    return new Identity(Kind.TOKEN, name);
  }

  /**
   * The identity an evaluation from {@code source} names as {@code name}, its submitter or a deployer: a token's name
   * for the API and the CLI, a login for GitHub and GitLab; null when there is no name.
   */
  public static Identity of(Source source, String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    return new Identity(switch (source == null ? Source.UNKNOWN : source) {
      case API, CLI -> Kind.TOKEN;
      case GITHUB -> Kind.GITHUB;
      case GITLAB -> Kind.GITLAB;
      case SLACK -> Kind.SLACK;
      default -> Kind.UNKNOWN;
    }, name);
  }

  /**
   * The parties of an evaluation from {@code source}: its submitter and deployers, in that namespace (nameless ones
   * left out). A deploy lock, a queue slot and a deploy report compare these.
   */
  public static List<Identity> parties(Source source, String submittedBy, List<String> deployers) {
    return Stream.concat(Stream.ofNullable(submittedBy), deployers.stream()).map(name -> of(source, name))
        .filter(Objects::nonNull).toList();
  }

  /**
   * True when this and {@code other} are the same person: the same namespace and id. Platform logins compare
   * case-insensitively as ASCII only (GitHub and GitLab logins are ASCII; {@code equalsIgnoreCase} would match the
   * dotless ı with i and the Kelvin sign with k), anything else and token names and Slack ids exactly. An unknown kind
   * is nobody.
   */
  public boolean sameAs(Identity other) {
    if (other == null || kind == Kind.UNKNOWN || kind != other.kind) {
      return false;
    }
    if ((kind == Kind.GITHUB || kind == Kind.GITLAB) && LOGIN.matcher(id).matches() && LOGIN.matcher(other.id).matches()) {
      return id.toLowerCase(Locale.ROOT).equals(other.id.toLowerCase(Locale.ROOT));
    }
    return id.equals(other.id);
  }

  private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._-]+");

  /** {@code token:alice}, {@code github:alice}: how logs and audit records tell namespaces apart. */
  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + id;
  }
}
