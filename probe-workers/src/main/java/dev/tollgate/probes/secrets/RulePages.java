package dev.tollgate.probes.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * The documentation page of every data rule, generated from {@code secrets/rules.yaml} at build time (Maven's
 * {@code process-classes} phase runs {@link #main}) into {@code rule-docs/secrets/<rule>.md} on the classpath, where the
 * dashboard serves rule pages from ({@code /rules/secrets/<rule>}). Hundreds of rules share one page layout, so the
 * page is written from the rule's data instead of by hand: a new rule has its page without anyone writing one, and a
 * page never disagrees with the pattern it describes. Samples keep their generator markers, so no page holds a
 * credential. Links between pages are relative to {@code /rules/secrets/}, as the dashboard serves them.
 */
public final class RulePages {
  /** Where the rule data lives in the source tree (named on every page). */
  static final String SOURCE = "probe-workers/src/main/resources/secrets/rules.yaml";
  private static final java.util.regex.Pattern MARKER =
      java.util.regex.Pattern.compile("\\{\\{(?:b64enc:)?([A-Za-z0-9]+|lit-[a-z0-9_]+):(\\d+)}}");

  private RulePages() {}

  /**
   * Writes one page per data rule of the shipped rule book.
   *
   * @param args the output directory (the pages go to {@code <dir>/secrets/})
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: RulePages OUTPUT_DIR");
    }
    RuleBook book = RuleBook.standard();
    Path dir = Path.of(args[0]).resolve("secrets");
    Files.createDirectories(dir);
    for (SecretRule r : book.rules()) {
      Files.writeString(dir.resolve(fileName(r)), markdown(r, book), StandardCharsets.UTF_8);
    }
  }

  /** The page's file name: the rule id's name part and {@code .md}. */
  static String fileName(SecretRule r) {
    return r.id().value().substring(r.id().value().indexOf('/') + 1) + ".md";
  }

  /** The page of rule {@code r} as Markdown. */
  static String markdown(SecretRule r, RuleBook book) {
    StringBuilder b = new StringBuilder();
    String id = r.id().value();
    boolean warn = r.severity() == dev.tollgate.contracts.probe.Severity.WARN;
    b.append("# ").append(id).append("\n\n");
    b.append("**").append(r.description()).append("** · severity **").append(r.severity()).append("** · a rule of the ")
        .append("secrets probe (`docs/rules/secrets/README.md`), generated from its data (`").append(SOURCE).append("`)\n\n");

    b.append("## Problem\n\n").append("A credential of this kind — ").append(r.description())
        .append(" — is in what the deploy ships: a line added by a commit of the deploy range, or any file of the "
            + "tree on a first deploy.\n\n");

    b.append("## Why it breaks deploys\n\n");
    b.append("A credential that reached git history has leaked, even if a later commit removes it: whoever can read "
        + "the repository, a fork, a CI log or the built artifact can use it until it is revoked. ");
    if (warn) {
      b.append("This kind grants no access to production data (a test-mode key), so it **warns**: an environment "
          + "with `warningsBlock` still stops the deploy.\n\n");
    } else {
      b.append("It **blocks** the deploy, and by default no approval can override it (`notOverridable: [secrets]`).\n\n");
    }
    if (r.generic()) {
      b.append("This is a broad rule: where a rule for a specific format finds the same value on the same line, "
          + "only that rule reports it.\n\n");
    }

    b.append("## How it is recognised\n\n");
    if (!r.keywords().isEmpty()) {
      b.append("- Only lines containing ").append(codes(r.keywords())).append(r.exactKeywords() ? " (case-sensitive)" : "")
          .append(" are matched").append(r.boundary() ? ", where the word does not continue another word" : "")
          .append(r.inKey() ? ", as part of a key that is assigned a value (`KEY=value`, `key: value`, `\"key\": \"value\"`)" : "")
          .append(".\n");
    }
    if (r.paths() != null) {
      b.append("- Only in files matching `").append(r.paths()).append("`.\n");
    }
    if (r.lines() > 1) {
      b.append("- The pattern reads up to ").append(r.lines()).append(" lines from the line it starts on.\n");
    }
    b.append("- The pattern (RE2 syntax; the group `secret` is the value):\n\n```\n").append(r.lazyPattern().regex())
        .append("\n```\n\n");
    if (r.entropy() > 0) {
      b.append(String.format(Locale.ROOT, "- The value has at least %.1f bits of entropy per character (random, not a word "
          + "or a repeated character).%n", r.entropy()));
    }
    if (r.minLength() > 1) {
      b.append("- The value has at least ").append(r.minLength()).append(" characters.\n");
    }
    if (r.decode() != SecretRule.Decode.NONE) {
      b.append(r.decode() == SecretRule.Decode.BASE64 ? "- The value must be base64 of printable text and is checked decoded.\n"
          : "- A base64 value of printable text is checked decoded.\n");
    }
    if (r.userGroup() >= 0) {
      b.append("- A password equal to its user name (`root:root`) is a default, not a secret.\n");
    }
    if (!r.supersedes().isEmpty()) {
      b.append("- Its finding replaces those of ").append(links(r.supersedes()))
          .append(" on the lines it spans: one credential, one finding.\n");
    }
    b.append("- Never reported: placeholders (`changeme`, `<your-token>`, `xxxxxxxx`), references to a secret kept "
        + "elsewhere (`${VAR}`, `${{ secrets.X }}`, `{{ .Values.x }}`, `vault:...`, `arn:aws:...`), values on a line "
        + "with `tollgate:allow` (or another scanner's inline marker: `gitleaks:allow`, `trufflehog:ignore`, "
        + "`pragma: allowlist secret`), and documented example credentials (in deployed configuration those are an INFO "
        + "[secrets/example-credential](example-credential) note).\n\n");

    b.append("## Examples\n\n");
    b.append(legend(r)).append("\n\n");
    b.append("Flagged:\n\n");
    samples(b, r.mustMatch());
    b.append("Not flagged (wrong length, wrong characters, placeholders, references):\n\n");
    samples(b, r.mustNotMatch());

    b.append("## Fix\n\n");
    b.append("1. Revoke or rotate the credential at its provider now: removing it from the code does not undo the leak.\n");
    b.append("2. Remove it from the code and read it at run time from a secret store or the deploy environment.\n");
    b.append("3. Not a credential, or a test value on purpose? Add `tollgate:allow` on the line, or its fingerprint (in "
        + "the finding) to `").append(RepoSecretsConfig.BASELINE_PATH).append("` (allowlisting: `docs/rules/secrets/README.md`).\n");
    return b.toString();
  }

  private static void samples(StringBuilder b, List<SecretRule.Sample> samples) {
    for (SecretRule.Sample s : samples) {
      b.append("```\n");
      if (!s.path().equals("sample.txt")) {
        b.append("# in ").append(s.path()).append('\n');
      }
      b.append(s.text()).append("\n```\n\n");
    }
  }

  /** What the generator markers of this rule's samples stand for. */
  private static String legend(SecretRule r) {
    TreeSet<String> used = new TreeSet<>();
    for (List<SecretRule.Sample> list : List.of(r.mustMatch(), r.mustNotMatch())) {
      for (SecretRule.Sample s : list) {
        Matcher m = MARKER.matcher(s.text());
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    if (used.isEmpty()) {
      return "The samples are the rule's own test cases.";
    }
    StringBuilder b = new StringBuilder("The samples are the rule's own test cases. A marker such as `{{alnum:36}}` stands "
        + "for that many random characters, so this page holds no credential (`{{b64enc:...}}`: the same, base64-encoded):");
    for (String cls : used) {
      b.append("\n- `").append(cls).append("`: ").append(describe(cls));
    }
    return b.toString();
  }

  private static String describe(String cls) {
    if (cls.startsWith("lit-")) {
      return "the text `" + cls.substring(4) + "`";
    }
    return switch (cls) {
      case "alnum" -> "letters and digits";
      case "alpha" -> "letters";
      case "upper" -> "upper-case letters";
      case "lower" -> "lower-case letters";
      case "digits" -> "digits";
      case "hex" -> "lower-case hexadecimal digits";
      case "HEX" -> "upper-case hexadecimal digits";
      case "b64" -> "base64 characters (letters, digits, `+`, `/`)";
      case "b64url" -> "base64url characters (letters, digits, `-`, `_`)";
      case "b32" -> "base32 characters (upper-case letters, digits 2-7)";
      case "b32lower" -> "lower-case base32 characters";
      case "lowernum" -> "lower-case letters and digits";
      case "uppernum" -> "upper-case letters and digits";
      case "bech32" -> "bech32 characters";
      case "pw" -> "password characters (letters, digits, punctuation)";
      case "userpw" -> "a `user:password` pair";
      case "jwt" -> "a signed JWT whose signature has that many characters";
      case "eyj" -> "`eyJ` and that many letters and digits";
      default -> "random characters";
    };
  }

  private static String codes(List<String> words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      b.append(i == 0 ? "" : i == words.size() - 1 ? " or " : ", ").append('`').append(words.get(i)).append('`');
    }
    return b.toString();
  }

  private static String links(List<String> ids) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < ids.size(); i++) {
      String name = ids.get(i).substring(ids.get(i).indexOf('/') + 1);
      b.append(i == 0 ? "" : ", ").append('[').append(ids.get(i)).append("](").append(name).append(')');
    }
    return b.toString();
  }
}
