package dev.tollgate.probes.rollback;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A container image reference, {@code [registry[:port]/]repository[:tag][@digest]}, and how firmly it names one
 * image. "Roll back to the previous image" only means something when the reference the previous release ran with
 * still names the same bytes: a digest always does, a release version by convention; {@code :latest}, no tag, or
 * a branch-like tag never do.
 *
 * @param name the repository part, with registry, without tag or digest (what Kustomize's {@code images[].name} matches)
 * @param tag the tag, or null
 * @param digest the digest ({@code sha256:...}), or null
 */
record ImageRef(String raw, String name, String tag, String digest) {
  /** How firmly a reference names one image. */
  enum Pinning {
    /** {@code @sha256:...}: exactly one image. */
    DIGEST,
    /** A full release version ({@code 1.4.2}), a commit id or a build number: immutable by convention. */
    VERSION,
    /** A major or major.minor tag ({@code 17-jre}, {@code 3.12}): re-pointed at every patch release. */
    FLOATING,
    /** A branch-like or channel tag ({@code main}, {@code stable}, {@code edge}): re-pointed at every push. */
    MOVING,
    /** {@code :latest}. */
    LATEST,
    /** No tag: the runtime pulls {@code :latest}. */
    UNTAGGED,
    /** An {@code @} part that is not a digest. */
    BAD_DIGEST
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-/:]*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}");
  private static final Pattern DIGEST_FORM = Pattern.compile("[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

  /** Channel and branch names that registries re-point. Compared lower-case. */
  static final Set<String> MOVING_NAMES = Set.of("main", "master", "stable", "edge", "dev", "develop", "development",
      "nightly", "canary", "beta", "alpha", "next", "current", "release", "head", "trunk", "snapshot", "unstable",
      "rolling", "mainline", "preview", "prod", "production", "staging", "stage", "test", "testing", "qa", "lts",
      "default", "live", "newest");
  private static final List<Pattern> MOVING_FORMS = List.of(
      Pattern.compile("latest[-_.].*|.*[-_.]latest"),
      Pattern.compile(".*[-_.](snapshot|nightly|dev|edge|main|master|stable|canary|unstable)"),
      // Pull/merge-request tags follow the branch: every push re-points them.
      Pattern.compile("(pr|mr)[-_.]?\\d+"));
  /** A token that looks like a commit id: 7 to 40 hex digits with at least one digit and one letter. */
  private static final Pattern COMMIT = Pattern.compile("(?:^|[-_.])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}(?:$|[-_.])");
  /** A build number, timestamp or date: 6+ digits in a row, or {@code 2026-11-26}. */
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d{6,}|\\d{4}[-.]\\d{2}[-.]\\d{2}");
  private static final Pattern FULL_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+.*");
  private static final Pattern FLOATING_VERSION = Pattern.compile("v?\\d+(\\.\\d+)?(\\.x)?([-_+].*)?");

  /**
   * Parses a reference as written in a manifest. Empty for values that are not a literal reference: templated
   * ({@code ${IMAGE}}, {@code {{ .Values.image }}}, {@code $(IMAGE)}) ones are filled in by the pipeline and
   * cannot be judged here, and text with spaces is not an image.
   */
  static Optional<ImageRef> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String raw = text.strip();
    if (raw.length() >= 2 && (raw.startsWith("\"") && raw.endsWith("\"") || raw.startsWith("'") && raw.endsWith("'"))) {
      raw = raw.substring(1, raw.length() - 1).strip();
    }
    if (raw.isEmpty() || raw.contains("$") || raw.contains("{{") || raw.contains("}}") || raw.contains("<")
        || raw.chars().anyMatch(Character::isWhitespace)) {
      return Optional.empty();
    }
    String digest = null;
    String rest = raw;
    int at = raw.indexOf('@');
    if (at >= 0) {
      digest = raw.substring(at + 1);
      rest = raw.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        return Optional.empty();
      }
    }
    if (!NAME.matcher(rest).matches() || rest.endsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(new ImageRef(raw, rest, tag, digest));
  }

  /** The same repository with another tag and/or digest (Helm's and Kustomize's split forms). */
  static ImageRef of(String name, String tag, String digest) {
    String t = tag == null || tag.isBlank() ? null : tag.strip();
    String d = digest == null || digest.isBlank() ? null : digest.strip();
    return new ImageRef(name + (t == null ? "" : ":" + t) + (d == null ? "" : "@" + d), name, t, d);
  }

  /** How firmly this names one image; {@code extraMoving} are the repository's own moving tag names (globs). */
  Pinning pinning(List<PathPattern> extraMoving) {
    if (digest != null) {
      return DIGEST_FORM.matcher(digest).matches() ? Pinning.DIGEST : Pinning.BAD_DIGEST;
    }
    if (tag == null) {
      return Pinning.UNTAGGED;
    }
    String t = tag.toLowerCase(Locale.ROOT);
    if (t.equals("latest")) {
      return Pinning.LATEST;
    }
    for (PathPattern p : extraMoving) {
      if (p.matchesName(tag)) {
        return Pinning.MOVING;
      }
    }
    // Identity first: "main-3f2c9a1" names one commit even though it starts with a branch name.
    if (COMMIT.matcher(t).find() || LONG_NUMBER.matcher(t).find() || FULL_VERSION.matcher(t).matches()) {
      return Pinning.VERSION;
    }
    if (MOVING_NAMES.contains(t) || MOVING_FORMS.stream().anyMatch(p -> p.matcher(t).matches())) {
      return Pinning.MOVING;
    }
    if (FLOATING_VERSION.matcher(t).matches()) {
      return Pinning.FLOATING;
    }
    // A tag without any digit is a name (alpine, jre, bookworm, feature-login): names are re-pointed.
    if (t.chars().noneMatch(Character::isDigit)) {
      return Pinning.MOVING;
    }
    return Pinning.VERSION;
  }

  @Override
  public String toString() {
    return raw;
  }
}
