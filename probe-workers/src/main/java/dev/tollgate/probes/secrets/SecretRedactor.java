package dev.tollgate.probes.secrets;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Masks credentials in any text with the secrets probe's own rule book: what the probe would flag in a file is
 * replaced, wherever it appears, by the same preview its findings show ({@code AKIA…}). The worker passes every
 * outgoing message through one instance (runtime {@code ResultRedaction}), so a migration excerpt or an echoed
 * configuration value cannot carry a key out that the secrets probe would have caught.
 *
 * <p>Unlike a scan of the repository, nothing the repository says can exempt text here: every rule applies whatever
 * the path, the repository's stopwords and allowlists are not used, and {@code tollgate:allow} is ignored. Only the
 * rule book's own placeholder values (documentation keys, {@code ${VAR}}) are left. Thread-safe.
 */
public final class SecretRedactor {
  /** Shown instead of a whole text whose credential could not be located again after the scan. */
  static final String WITHHELD = "(withheld: it may contain a credential)";

  private static volatile SecretRedactor standard;

  private final TextScanner scanner;

  SecretRedactor(RuleBook book) {
    this.scanner = new TextScanner(Objects.requireNonNull(book, "book"));
  }

  /** The redactor with the shipped rule book (loaded once). */
  public static SecretRedactor standard() {
    SecretRedactor r = standard;
    if (r == null) {
      synchronized (SecretRedactor.class) {
        r = standard;
        if (r == null) {
          r = new SecretRedactor(RuleBook.standard());
          standard = r;
        }
      }
    }
    return r;
  }

  /**
   * {@code text} with every credential the rule book recognizes replaced by its preview; the same instance when
   * nothing was found (the common case costs one pass of the keyword automaton and no copy).
   *
   * @param text any text, or null
   */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<TextScanner.Candidate> found = scanner.scan("", bytes, bytes.length, null, RepoSecretsConfig.none(), true);
    if (found.isEmpty()) {
      return text;
    }
    String out = text;
    // Longest first: a value that contains another is masked whole.
    List<String> values = found.stream().map(TextScanner.Candidate::value).distinct()
        .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    for (String value : values) {
      if (out.contains(value)) {
        out = out.replace(value, Fingerprints.preview(value));
      } else if (text.contains(value)) {
        continue; // an overlapping value already replaced it
      } else {
        // The value came back from a decoding we cannot map to the original (lone surrogates): show nothing of it.
        return WITHHELD;
      }
    }
    return out;
  }
}
