package dev.tollgate.probes.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * The secret rules as data ({@code secrets/rules.yaml}, STYLE.md §1): parsed strictly (an unknown key or a bad
 * pattern is an error naming the rule), compiled with RE2/J (linear time, so no rule can stall a worker), and
 * indexed by keyword for the pre-filter. Immutable and thread-safe; {@link #standard()} is loaded once.
 */
public final class RuleBook {
  /** Where the shipped rules live on the classpath. */
  static final String RESOURCE = "/secrets/rules.yaml";

  private static final Set<String> TOP_KEYS = Set.of("version", "macros", "allow", "deployConfig", "rules");
  private static final Set<String> ALLOW_KEYS = Set.of("values", "patterns", "stopwords");
  private static final Set<String> DEPLOY_CONFIG_KEYS = Set.of("paths", "except");
  private static final Set<String> RULE_KEYS = Set.of("id", "description", "keywords", "exactKeywords", "anchor",
      "boundary", "inKey", "keyEnd", "quoted", "lineContains", "pattern",
      "entropy", "minLength", "lines", "decode", "generic", "severity", "paths", "allow", "stopwords", "keyStopwords",
      "supersedes",
      "mustMatch", "mustNotMatch");
  private static final java.util.regex.Pattern MACRO = java.util.regex.Pattern.compile("\\$\\{([a-z][a-z0-9_]*)\\}");
  private static final int MAX_LINES = 400;

  private static volatile RuleBook standard;

  private final List<SecretRule> rules;
  private final Map<String, Integer> byId;
  private final Set<String> allowValues;
  private final Pattern allowPatterns;
  private final List<String> stopwords;
  private final KeywordIndex index;
  private final int[] pathLimited;
  private final int[][] supersedes;
  private final Map<String, KnownExample> examples;
  private final DeployConfig deployConfig;

  /** Files an application deploys as its configuration: an example credential there is reported (as INFO). */
  private record DeployConfig(PathGlob paths, PathGlob except) {
    boolean matches(String path) {
      return paths != null && paths.matches(path) && (except == null || !except.matches(path));
    }
  }

  private RuleBook(List<SecretRule> rules, Set<String> allowValues, Pattern allowPatterns, List<String> stopwords,
      List<KnownExample> examples, DeployConfig deployConfig) {
    this.rules = List.copyOf(rules);
    this.allowValues = Set.copyOf(allowValues);
    this.allowPatterns = allowPatterns;
    this.stopwords = List.copyOf(stopwords);
    this.deployConfig = deployConfig;
    Map<String, KnownExample> byValue = new HashMap<>();
    for (KnownExample e : examples) {
      byValue.put(e.value().toLowerCase(Locale.ROOT), e);
    }
    this.examples = Map.copyOf(byValue);
    Map<String, Integer> ids = new HashMap<>();
    List<KeywordIndex.Entry> entries = new ArrayList<>();
    List<Integer> limited = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      SecretRule r = rules.get(i);
      ids.put(r.id().value(), i);
      for (String k : r.keywords()) {
        entries.add(new KeywordIndex.Entry(k, r.exactKeywords(), i));
      }
      if (r.paths() != null) {
        limited.add(i);
      }
    }
    this.byId = Map.copyOf(ids);
    this.index = KeywordIndex.build(entries);
    this.pathLimited = limited.stream().mapToInt(Integer::intValue).toArray();
    this.supersedes = new int[rules.size()][];
    for (int i = 0; i < rules.size(); i++) {
      SecretRule r = rules.get(i);
      supersedes[i] = new int[r.supersedes().size()];
      for (int k = 0; k < r.supersedes().size(); k++) {
        Integer other = ids.get(r.supersedes().get(k));
        if (other == null || other == i) {
          throw new IllegalArgumentException(r.id() + ".supersedes: " + r.supersedes().get(k) + " is not another rule");
        }
        supersedes[i][k] = other;
      }
    }
  }

  /** The rules Tollgate ships. */
  public static RuleBook standard() {
    RuleBook book = standard;
    if (book == null) {
      synchronized (RuleBook.class) {
        book = standard;
        if (book == null) {
          book = parse(resource(RESOURCE), resource(KnownExample.RESOURCE));
          standard = book;
        }
      }
    }
    return book;
  }

  private static String resource(String name) {
    try (InputStream in = RuleBook.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule, in file order (the file keeps them sorted by id). */
  List<SecretRule> rules() {
    return rules;
  }

  /**
   * Compiles every pattern now (they are otherwise compiled on first use).
   *
   * @return this book
   * @throws IllegalArgumentException naming the first rule whose pattern RE2 rejects
   */
  RuleBook compileAll() {
    for (SecretRule r : rules) {
      try {
        r.pattern();
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(r.id() + ".pattern: not a valid RE2 pattern: " + e.getDescription());
      }
    }
    return this;
  }

  /** Rule ids, sorted. */
  public List<String> ids() {
    return rules.stream().map(r -> r.id().value()).sorted().toList();
  }

  /** Index of the rule with {@code id}, or -1. */
  int indexOf(String id) {
    return byId.getOrDefault(id, -1);
  }

  SecretRule rule(int index) {
    return rules.get(index);
  }

  KeywordIndex index() {
    return index;
  }

  /** Rules limited to some paths (the only ones a file's path can turn off; rules without keywords are among them). */
  int[] pathLimited() {
    return pathLimited;
  }

  /** Placeholder values (lower case) that are never findings: {@code changeme}, {@code password}. */
  Set<String> allowValues() {
    return allowValues;
  }

  /** The documented example credential equal to {@code value} (case-insensitive), or null. */
  KnownExample example(String value) {
    return examples.isEmpty() ? null : examples.get(value.toLowerCase(Locale.ROOT));
  }

  /** Every documented example credential, sorted by value. */
  List<KnownExample> examples() {
    return examples.values().stream().sorted(java.util.Comparator.comparing(KnownExample::value)).toList();
  }

  /** True when {@code path} is a file an application deploys as its configuration ({@code deployConfig}). */
  boolean deployableConfig(String path) {
    return deployConfig.matches(path);
  }

  /** Indices of the rules whose matches a match of rule {@code index} replaces (on the lines it spans). */
  int[] supersedes(int index) {
    return supersedes[index];
  }

  /** Whole-value patterns that are references or placeholders, not secrets ({@code ${VAR}}), as one alternation. */
  Pattern allowPatterns() {
    return allowPatterns;
  }

  /** Lower-case substrings that mark any value as an example. */
  List<String> stopwords() {
    return stopwords;
  }

  /**
   * Parses a rules file without example credentials.
   *
   * @throws IllegalArgumentException naming the rule and key at fault
   */
  static RuleBook parse(String yaml) {
    return parse(yaml, "");
  }

  /**
   * Parses a rules file and an examples file ({@link KnownExample#parse}).
   *
   * @throws IllegalArgumentException naming the rule, key or line at fault
   */
  static RuleBook parse(String yaml, String examplesTsv) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("rules: not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("rules: expected a mapping at the top level");
    }
    requireKeys(root, TOP_KEYS, "rules file");
    if (root.path("version").asInt() != 1) {
      throw new IllegalArgumentException("rules file: version: expected 1, got " + root.path("version"));
    }
    Map<String, String> macros = new TreeMap<>();
    root.path("macros").properties().forEach(e -> macros.put(e.getKey(), e.getValue().asText()));
    JsonNode allow = root.path("allow");
    requireKeys(allow, ALLOW_KEYS, "allow");
    Set<String> values = new HashSet<>();
    strings(allow, "values", "allow").forEach(v -> values.add(v.toLowerCase(Locale.ROOT)));
    Pattern patterns = alternation(strings(allow, "patterns", "allow"), macros, "allow.patterns");
    List<String> stopwords = strings(allow, "stopwords", "allow").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    JsonNode deploy = root.path("deployConfig");
    requireKeys(deploy, DEPLOY_CONFIG_KEYS, "deployConfig");
    List<String> deployPaths = strings(deploy, "paths", "deployConfig");
    List<String> deployExcept = strings(deploy, "except", "deployConfig");
    DeployConfig deployConfig = new DeployConfig(deployPaths.isEmpty() ? null : PathGlob.fileNames(deployPaths),
        deployExcept.isEmpty() ? null : PathGlob.anyOf(deployExcept));

    List<SecretRule> rules = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    JsonNode list = root.path("rules");
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("rules: expected a non-empty list");
    }
    for (JsonNode node : list) {
      SecretRule r = rule(node, macros);
      if (!seen.add(r.id().value())) {
        throw new IllegalArgumentException(r.id() + ": duplicate rule id");
      }
      rules.add(r);
    }
    return new RuleBook(rules, values, patterns, stopwords, KnownExample.parse(examplesTsv), deployConfig);
  }

  private static SecretRule rule(JsonNode node, Map<String, String> macros) {
    String rawId = node.path("id").asText("");
    String where = rawId.isEmpty() ? "rule without id" : rawId;
    requireKeys(node, RULE_KEYS, where);
    RuleId id;
    try {
      id = RuleId.of(rawId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    if (!id.probePart().equals("secrets")) {
      throw new IllegalArgumentException(where + ": id must start with secrets/");
    }
    String description = text(node, "description", where);
    String patternText = expand(text(node, "pattern", where), macros, where + ".pattern");
    // Group numbers are read from the text, so the pattern itself can be compiled on first use (LazyPattern).
    int secretGroup = groupNumber(patternText, "secret");
    int userGroup = groupNumber(patternText, "user");
    if (secretGroup < 0) {
      secretGroup = groupNumber(patternText, null) > 0 ? 1 : 0;
    }
    List<String> keywords = strings(node, "keywords", where);
    List<String> globs = strings(node, "paths", where);
    PathGlob paths = globs.isEmpty() ? null : PathGlob.fileNames(globs);
    if (keywords.isEmpty() && paths == null) {
      throw new IllegalArgumentException(where + ": keywords: a rule without keywords must be limited by paths");
    }
    double entropy = node.path("entropy").asDouble(0);
    if (entropy < 0 || entropy > 8) {
      throw new IllegalArgumentException(where + ".entropy: expected 0-8 bits per character, got " + entropy);
    }
    int lines = node.path("lines").asInt(1);
    if (lines < 1 || lines > MAX_LINES) {
      throw new IllegalArgumentException(where + ".lines: expected 1-" + MAX_LINES + ", got " + node.path("lines"));
    }
    int minLength = node.path("minLength").asInt(1);
    SecretRule.Decode decode = switch (node.path("decode").asText("none")) {
      case "none" -> SecretRule.Decode.NONE;
      case "base64" -> SecretRule.Decode.BASE64;
      case "auto" -> SecretRule.Decode.AUTO;
      default -> throw new IllegalArgumentException(where + ".decode: expected none, base64 or auto, got " + node.path("decode"));
    };
    Severity severity = switch (node.path("severity").asText("block")) {
      case "block" -> Severity.BLOCK;
      case "warn" -> Severity.WARN;
      default -> throw new IllegalArgumentException(where + ".severity: expected block or warn, got " + node.path("severity"));
    };
    Pattern allow = alternation(strings(node, "allow", where), macros, where + ".allow");
    List<String> stopwords = strings(node, "stopwords", where).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    Set<String> keyStopwords = strings(node, "keyStopwords", where).stream().map(s -> s.toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toSet());
    if (!keyStopwords.isEmpty() && !node.path("inKey").asBoolean(false)) {
      throw new IllegalArgumentException(where + ": keyStopwords need inKey: true");
    }
    List<SecretRule.Sample> mustMatch = samples(node, "mustMatch", where);
    List<SecretRule.Sample> mustNotMatch = samples(node, "mustNotMatch", where);
    if (mustMatch.isEmpty() || mustNotMatch.isEmpty()) {
      throw new IllegalArgumentException(where + ": expected at least one mustMatch and one mustNotMatch sample");
    }
    SecretRule.Anchor anchor = switch (node.path("anchor").asText(keywords.isEmpty() ? "line" : "keyword")) {
      case "keyword" -> SecretRule.Anchor.KEYWORD;
      case "line" -> SecretRule.Anchor.LINE;
      default -> throw new IllegalArgumentException(where + ".anchor: expected keyword or line, got " + node.path("anchor"));
    };
    if ((node.has("keyEnd") || node.has("quoted")) && !node.path("inKey").asBoolean(false)) {
      throw new IllegalArgumentException(where + ": keyEnd and quoted need inKey: true");
    }
    if (anchor == SecretRule.Anchor.KEYWORD && keywords.isEmpty()) {
      throw new IllegalArgumentException(where + ".anchor: a rule without keywords must use anchor: line");
    }
    return new SecretRule(id, description, keywords, node.path("exactKeywords").asBoolean(false), anchor,
        node.path("boundary").asBoolean(false), node.path("inKey").asBoolean(false), node.path("keyEnd").asText("=:,>"),
        node.path("quoted").asBoolean(false),
        node.has("lineContains")
            ? text(node, "lineContains", where).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII) : null,
        new LazyPattern(patternText), secretGroup,
        userGroup, entropy, minLength, lines, decode, node.path("generic").asBoolean(false), severity, paths, allow,
        stopwords, keyStopwords, strings(node, "supersedes", where), mustMatch, mustNotMatch);
  }

  private static List<SecretRule.Sample> samples(JsonNode node, String key, String where) {
    List<SecretRule.Sample> out = new ArrayList<>();
    JsonNode list = node.path(key);
    if (list.isMissingNode()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(where + "." + key + ": expected a list");
    }
    for (JsonNode s : list) {
      if (s.isTextual()) {
        out.add(new SecretRule.Sample("sample.txt", s.asText()));
      } else if (s.isObject() && s.path("text").isTextual()) {
        requireKeys(s, Set.of("path", "text"), where + "." + key);
        out.add(new SecretRule.Sample(s.path("path").asText("sample.txt"), s.path("text").asText()));
      } else {
        throw new IllegalArgumentException(where + "." + key + ": expected text or {path, text}");
      }
    }
    return out;
  }

  /** Replaces {@code ${name}} with the macro's text, recursively (macros may use macros). */
  static String expand(String text, Map<String, String> macros, String where) {
    String out = text;
    for (int depth = 0; depth < 5; depth++) {
      Matcher m = MACRO.matcher(out);
      if (!m.find()) {
        return out;
      }
      StringBuilder b = new StringBuilder();
      m.reset();
      while (m.find()) {
        String body = macros.get(m.group(1));
        if (body == null) {
          throw new IllegalArgumentException(where + ": unknown macro ${" + m.group(1) + "} (known: " + macros.keySet() + ")");
        }
        m.appendReplacement(b, Matcher.quoteReplacement(body));
      }
      m.appendTail(b);
      out = b.toString();
    }
    throw new IllegalArgumentException(where + ": macros nest deeper than 5 levels");
  }

  /**
   * The number of the capturing group named {@code name} (or, for null, the number of capturing groups), counted
   * from the pattern's text: each {@code (} that is not escaped, not in a character class and not {@code (?}
   * opens a group, except {@code (?P<name>}.
   */
  static int groupNumber(String regex, String name) {
    int n = 0;
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          i++; // "[]...]": a literal ] first
        } else if (i + 2 < regex.length() && regex.charAt(i + 1) == '^' && regex.charAt(i + 2) == ']') {
          i += 2;
        }
      } else if (c == '(') {
        boolean named = regex.startsWith("(?P<", i);
        if (named || i + 1 >= regex.length() || regex.charAt(i + 1) != '?') {
          n++;
          if (named && name != null && regex.startsWith("(?P<" + name + ">", i)) {
            return n;
          }
        }
      }
    }
    return name == null ? n : -1;
  }

  /**
   * One pattern matching what any of {@code regexes} matches, or null for none: a value is then checked in one RE2
   * run instead of one per pattern (each is validated on its own first, so an error names the pattern).
   */
  private static Pattern alternation(List<String> regexes, Map<String, String> macros, String where) {
    if (regexes.isEmpty()) {
      return null;
    }
    StringBuilder all = new StringBuilder();
    for (String r : regexes) {
      String expanded = expand(r, macros, where);
      compile(expanded, where);
      all.append(all.length() == 0 ? "" : "|").append("(?:").append(expanded).append(')');
    }
    return compile(all.toString(), where);
  }

  private static Pattern compile(String regex, String where) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(where + ": not a valid RE2 pattern: " + e.getDescription());
    }
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode v = node.path(key);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + key + ": expected a non-empty string");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode node, String key, String where) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(where + "." + key + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw new IllegalArgumentException(where + "." + key + ": expected strings, got " + s.getNodeType());
      }
      out.add(s.asText());
    }
    return out;
  }

  private static void requireKeys(JsonNode node, Set<String> known, String where) {
    if (node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException(where + "." + key + ": unknown key (known: " + new java.util.TreeSet<>(known) + ")");
      }
    }
  }
}
