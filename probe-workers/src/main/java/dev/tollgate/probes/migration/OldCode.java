package dev.tollgate.probes.migration;

import dev.tollgate.probes.repo.ChangeSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code of the release running now (the baseline tree, migrations and tests excluded), searched for references to
 * tables and columns a migration drops or renames. No linter does this: it turns "dropping a column may break old
 * instances" into "the running release still reads {@code users.legacy_flag} at UserRepository.java:42" (FAIL) or
 * "nothing references it" (the contract step of expand/contract: allowed).
 *
 * <p>How a reference is recognized (a search, not a compiler, so it errs towards finding too much):
 * <ul>
 *   <li>A column is referenced where its name appears as a word in a file that also names its table (table name,
 *       or the entity class name {@code users} → {@code User}/{@code Users}); names with an underscore that are not
 *       common audit columns ({@code legacy_flag}, not {@code created_at}) count in any file. The camelCase form an
 *       ORM maps by default ({@code legacyFlag}, {@code getLegacyFlag}) counts in files that name the table.</li>
 *   <li>A table is referenced where its name appears next to SQL ({@code FROM users}, {@code INTO users},
 *       {@code @Table(name = "users")}, {@code "users"}), anywhere when its name has an underscore, or as a JPA
 *       entity class name in a file with {@code @Entity}.</li>
 *   <li>Comment-only lines do not count.</li>
 *   <li>ORM models of the running release ({@link OrmModel}, found by the framework readers: ActiveRecord, Django,
 *       SQLAlchemy, Prisma): a model that maps the column is a reference on its own (ORMs select and insert every
 *       column they map, whether or not other code names it); the model's class name and client accessors
 *       ({@code prisma.user}) tie a file to its table; an ActiveRecord {@code self.ignored_columns} entry means the
 *       running release no longer reads or writes the column (strong_migrations' safe way to drop one).</li>
 *   <li>A Django lookup ({@code nickname__icontains}) names the field before {@code __}.</li>
 * </ul>
 *
 * <p>Thread-safe; files are read once, on first use.
 */
public final class OldCode {
  /** A place the old code names the object. */
  public record Reference(String path, int line, String text) {
    @Override
    public String toString() {
      return path + ":" + line;
    }
  }

  /**
   * The result of one search.
   *
   * @param subject what was searched, e.g. {@code users.legacy_flag}
   * @param references where it is referenced, at most {@link #MAX_REFERENCES}
   * @param filesSearched how many files of the running release were searched
   * @param ignoredBy where the running release's ORM explicitly stops mapping the column (ActiveRecord
   *     {@code self.ignored_columns}, Prisma {@code @ignore}), else null
   */
  public record Usage(String subject, List<Reference> references, int filesSearched, Reference ignoredBy) {
    public Usage {
      references = List.copyOf(references);
    }

    public Usage(String subject, List<Reference> references, int filesSearched) {
      this(subject, references, filesSearched, null);
    }

    public boolean used() {
      return !references.isEmpty();
    }

    /** {@code a.java:3, b.xml:9 (and 4 more)} style evidence. */
    public String evidence(int max) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < Math.min(max, references.size()); i++) {
        b.append(i == 0 ? "" : ", ").append(references.get(i));
      }
      if (references.size() > max) {
        b.append(" (and ").append(references.size() - max).append(references.size() >= MAX_REFERENCES ? "+" : "")
            .append(" more)");
      }
      return b.toString();
    }
  }

  static final int MAX_REFERENCES = 20;
  private static final int MAX_FILES = 20_000;
  private static final long MAX_TOTAL_CHARS = 200L << 20;

  private static final Set<String> CODE_EXTENSIONS = Set.of("java", "kt", "kts", "scala", "groovy", "py", "rb", "go", "js",
      "mjs", "cjs", "ts", "tsx", "jsx", "cs", "php", "rs", "ex", "exs", "clj", "sql", "xml", "yml", "yaml", "properties",
      "graphql", "erb", "html", "vue", "svelte", "swift", "dart", "jsp", "hbs", "mustache", "prisma", "haml", "slim");
  private static final List<String> SKIP_DIRS = List.of("node_modules/", "vendor/", "target/", "build/", "dist/", ".git/",
      "out/", ".idea/", ".gradle/");
  private static final List<String> TEST_MARKERS = List.of("src/test/", "/test/", "/tests/", "__tests__/", "/spec/",
      "testdata/", "/fixtures/", "src/testFixtures/", "src/it/");
  /** Audit and tenancy columns present on most tables: alone they prove nothing about one table. */
  private static final Set<String> COMMON_COLUMNS = Set.of("created_at", "updated_at", "deleted_at", "created_by",
      "updated_by", "deleted_by", "created_on", "updated_on", "is_active", "is_deleted", "tenant_id", "user_id",
      "account_id", "org_id", "organization_id", "external_id", "sort_order", "display_name");
  private static final Pattern SQL_CONTEXT = Pattern.compile(
      "(?i)\\b(from|join|into|update|table|truncate|alter|references)\\s+[\"`\\[]?(?:\\w+\\.)?[\"`]?$");

  private static final OldCode UNAVAILABLE_CLI = new OldCode("no repository: the files were linted on their own", List.of());
  private static final OldCode FIRST_DEPLOY = new OldCode("first deploy: no release is running", List.of());

  private record Source(String path, String text, String lower, int[] lineStarts) {
    int lineOf(int index) {
      int k = Arrays.binarySearch(lineStarts, index);
      return k >= 0 ? k + 1 : -k - 1;
    }

    String lineText(int line) {
      int s = lineStarts[line - 1];
      int e = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
      return text.substring(s, Math.max(s, e)).strip();
    }
  }

  private final String unavailable;
  private final List<Source> sources;
  private final int notSearched;
  private final Map<String, Usage> cache = new ConcurrentHashMap<>();
  private volatile Map<String, List<OrmModel>> modelsByTable;

  private OldCode(String unavailable, List<Source> sources) {
    this(unavailable, sources, 0);
  }

  private OldCode(String unavailable, List<Source> sources, int notSearched) {
    this.unavailable = unavailable;
    this.sources = sources;
    this.notSearched = notSearched;
  }

  /** No old code to search: the CLI lints files on their own. */
  static OldCode cli() {
    return UNAVAILABLE_CLI;
  }

  /** For tests and other probes: search these files as the running release's code. */
  static OldCode of(Map<String, String> files) {
    List<Source> list = new ArrayList<>();
    files.forEach((path, text) -> list.add(source(path, text)));
    return new OldCode(null, list);
  }

  /**
   * Reads the baseline tree of {@code changes}, skipping migration files, tests (unless configured), vendored and
   * build directories, and non-code files.
   *
   * @param isMigration paths that are migrations (never counted as code)
   */
  static OldCode read(ChangeSet changes, Predicate<String> isMigration, MigrationSettings settings) {
    if (changes.firstDeploy()) {
      return FIRST_DEPLOY;
    }
    List<Source> list = new ArrayList<>();
    long total = 0;
    int notSearched = 0;
    for (String path : changes.baselinePaths()) {
      if (!isCode(path, settings) || isMigration.test(path)) {
        continue;
      }
      if (list.size() >= MAX_FILES || total >= MAX_TOTAL_CHARS) {
        notSearched++; // past the search's bounds: counted, so "nothing references it" is not claimed
        continue;
      }
      var text = changes.readBaselineText(path);
      if (text.isPresent() && text.get().indexOf('\0') < 0) {
        list.add(source(path, text.get()));
        total += text.get().length();
      } else if (text.isEmpty() && changes.baselineOverLimit(path).isPresent()) {
        notSearched++;
      }
    }
    return new OldCode(null, list, notSearched);
  }

  private static Source source(String path, String text) {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    int[] starts = new int[count];
    int k = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[k++] = i + 1;
      }
    }
    return new Source(path, text, text.toLowerCase(Locale.ROOT), starts);
  }

  static boolean isCode(String path, MigrationSettings settings) {
    String p = "/" + path;
    if (path.substring(path.lastIndexOf('/') + 1).startsWith(".")) {
      return false; // tool configuration (.tollgate.yml, .github, .env): not the application's code
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || !CODE_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (String d : SKIP_DIRS) {
      if (p.contains("/" + d)) {
        return false;
      }
    }
    if (!settings.oldCodeIncludeTests()) {
      for (String t : TEST_MARKERS) {
        if (p.contains(t.startsWith("/") ? t : "/" + t)) {
          return false;
        }
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.matches(".*(Test|Tests|IT|Spec)\\.(java|kt|scala|groovy)|.*_test\\.(go|py|rb)|test_.*\\.py|.*\\.(test|spec)\\.[jt]sx?")) {
        return false;
      }
    }
    for (String ex : settings.oldCodeExclude()) {
      if (path.startsWith(ex)) {
        return false;
      }
    }
    return true;
  }

  /** True when the running release's code could be searched. */
  public boolean available() {
    return unavailable == null;
  }

  /** Why it could not be searched, else null. */
  public String unavailableReason() {
    return unavailable;
  }

  /** Number of files searched. */
  public int filesSearched() {
    return sources.size();
  }

  /** The running release's ORM models, by lower-case table name (found on first use). */
  private Map<String, List<OrmModel>> models() {
    Map<String, List<OrmModel>> m = modelsByTable;
    if (m == null) {
      m = new java.util.HashMap<>();
      Map<String, String> byPath = new java.util.HashMap<>();
      sources.forEach(s -> byPath.put(s.path(), s.text()));
      var files = dev.tollgate.probes.migration.framework.RepoFiles.of(p -> java.util.Optional.ofNullable(byPath.get(p)),
          () -> List.copyOf(byPath.keySet()));
      for (Source s : sources) {
        for (var reader : dev.tollgate.probes.migration.framework.FrameworkReaders.ALL) {
          if (reader.mayDefineModels(s.path())) {
            for (OrmModel model : reader.models(s.path(), s.text(), files)) {
              m.computeIfAbsent(model.table().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(model);
            }
          }
        }
      }
      modelsByTable = m;
    }
    return m;
  }

  /** The ORM models of the running release that map {@code table}. */
  public List<OrmModel> modelsOf(String table) {
    return models().getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
  }

  /**
   * Code files of the running release that were not searched (over the file limit, or past the search's bounds of
   * 20,000 files and 200 MB): an absence of references proves nothing while any remain.
   */
  public int filesNotSearched() {
    return notSearched;
  }

  /** References to column {@code table.column}. */
  public Usage column(String table, String column) {
    return cache.computeIfAbsent("c:" + table + "." + column, k -> searchColumn(table, column));
  }

  /** References to table {@code table}. */
  public Usage table(String table) {
    return cache.computeIfAbsent("t:" + table, k -> searchTable(table));
  }

  /**
   * Places the old code inserts rows into {@code table}: SQL {@code INSERT INTO table}, jOOQ {@code insertInto(TABLE)},
   * Spring {@code withTableName("table")}, and JPA entities mapped to it (Hibernate names every mapped column in its
   * INSERT, so a new NOT NULL column without default breaks them).
   */
  public Usage inserts(String table) {
    return cache.computeIfAbsent("i:" + table, k -> searchInserts(table));
  }

  private Usage searchColumn(String table, String column) {
    String col = column.toLowerCase(Locale.ROOT);
    String camel = camel(col, false);
    String pascal = camel(col, true);
    boolean distinctive = col.indexOf('_') > 0 && !COMMON_COLUMNS.contains(col);
    List<Reference> refs = new ArrayList<>();
    List<OrmModel> models = modelsOf(table);
    Reference ignoredBy = null;
    boolean mapped = false;
    for (OrmModel m : models) {
      String key = columnKey(m, col);
      String ignored = m.ignoredColumns().keySet().stream().filter(k -> k.equalsIgnoreCase(col)).findFirst().orElse(null);
      if (ignored != null && (m.mapsEveryColumn() || key == null)) {
        // ActiveRecord ignored_columns; a Prisma @ignore field (declared, but not in the client)
        ignoredBy = reference(m.path(), m.ignoredColumns().get(ignored));
      } else if (m.mapsEveryColumn()) {
        mapped = true;
        Reference r = reference(m.path(), m.line());
        refs.add(new Reference(r.path(), r.line(), r.text() + "  [" + m.framework().displayName() + " model " + m.name()
            + " maps every column of " + table + "]"));
      } else if (key != null) {
        mapped = true;
        refs.add(reference(m.path(), m.columns().get(key)));
      }
    }
    int modelRefs = refs.size();
    if (ignoredBy != null && !mapped) {
      // The ORM no longer reads or writes the column (strong_migrations' safe drop): code that still names it would
      // already fail in the running release, so the names left in the code are not uses of this column.
      return new Usage(table + "." + column, List.of(), sources.size(), ignoredBy);
    }
    List<String> aliases = aliases(models);
    for (Source s : sources) {
      if (refs.size() >= MAX_REFERENCES) {
        break;
      }
      boolean snake = containsWord(s.lower, col);
      boolean camelHit = !camel.equals(col) && (s.text.contains(camel) || s.text.contains(pascal));
      if (!snake && !camelHit) {
        continue;
      }
      boolean affinity = mentionsTable(s, table) || mentionsAny(s, aliases);
      if (snake && (distinctive || affinity)) {
        addWordRefs(s, col, refs);
      }
      if (camelHit && affinity) {
        addCamelRefs(s, camel, refs);
        addCamelRefs(s, pascal, refs);
      }
    }
    // The ORM's own mapping first (the strongest evidence), then other references in path order.
    List<Reference> found = refs.subList(Math.min(modelRefs, refs.size()), refs.size());
    found.sort((a, b) -> a.path().equals(b.path()) ? Integer.compare(a.line(), b.line()) : a.path().compareTo(b.path()));
    return new Usage(table + "." + column, dedupe(refs), sources.size());
  }

  private Usage searchTable(String table) {
    String t = table.toLowerCase(Locale.ROOT);
    boolean distinctive = t.indexOf('_') > 0;
    List<Reference> refs = new ArrayList<>();
    for (OrmModel m : modelsOf(table)) {
      refs.add(reference(m.path(), m.line()));
    }
    for (Source s : sources) {
      if (refs.size() >= MAX_REFERENCES) {
        break;
      }
      int from = 0;
      while ((from = indexOfWord(s.lower, t, from)) >= 0 && refs.size() < MAX_REFERENCES) {
        int lineStart = s.lineStarts[s.lineOf(from) - 1];
        String before = s.lower.substring(lineStart, from);
        char prev = from > 0 ? s.lower.charAt(from - 1) : ' ';
        char next = from + t.length() < s.lower.length() ? s.lower.charAt(from + t.length()) : ' ';
        boolean quoted = (prev == '"' || prev == '\'' || prev == '`') && (next == prev);
        if (distinctive || quoted || SQL_CONTEXT.matcher(before).find() || before.contains("table_name")
            || before.contains("tablename") || before.contains("db_table")) {
          addRef(s, from, refs);
        }
        from += t.length();
      }
      if (s.text.contains("@Entity")) {
        for (String entity : entityNames(t)) {
          // The name comes from the migration (a quoted identifier can hold any character): matched literally.
          Matcher m = Pattern.compile("\\bclass\\s+" + Pattern.quote(entity) + "\\b").matcher(s.text);
          if (m.find()) {
            addRef(s, m.start(), refs);
          }
        }
      }
    }
    return new Usage(table, dedupe(refs), sources.size());
  }

  private Usage searchInserts(String table) {
    String t = Pattern.quote(table.toLowerCase(Locale.ROOT));
    Pattern sql = Pattern.compile("(?i)\\b(insert|replace)\\s+(ignore\\s+)?into\\s+[\"`]?(\\w+[\"`]?\\.)?[\"`]?" + t + "\\b");
    Pattern jooq = Pattern.compile("insertInto\\(\\s*(\\w+\\.)?" + Pattern.quote(table.toUpperCase(Locale.ROOT)) + "\\b");
    Pattern spring = Pattern.compile("(?i)withTableName\\(\\s*\"" + t + "\"");
    Pattern tableAnnotation = Pattern.compile("(?i)@Table\\s*\\(\\s*name\\s*=\\s*\"(\\w+\\.)?" + t + "\"");
    List<Reference> refs = new ArrayList<>();
    for (OrmModel m : modelsOf(table)) {
      refs.add(reference(m.path(), m.line())); // an ORM model inserts every column it maps
    }
    for (Source s : sources) {
      for (Pattern p : List.of(sql, jooq, spring)) {
        Matcher m = p.matcher(s.text);
        while (m.find() && refs.size() < MAX_REFERENCES) {
          addRef(s, m.start(), refs);
        }
      }
      if (s.text.contains("@Entity")) {
        Matcher m = tableAnnotation.matcher(s.text);
        if (m.find()) {
          addRef(s, m.start(), refs);
        } else {
          for (String entity : entityNames(table.toLowerCase(Locale.ROOT))) {
            Matcher c = Pattern.compile("\\bclass\\s+" + Pattern.quote(entity) + "\\b").matcher(s.text);
            if (c.find() && !s.text.contains("@Table")) {
              addRef(s, c.start(), refs);
            }
          }
        }
      }
    }
    return new Usage(table, dedupe(refs), sources.size());
  }

  /** The column's key in the model's maps ({@code col} is lower-case; Prisma keeps camelCase names), else null. */
  private static String columnKey(OrmModel m, String col) {
    for (String k : m.columns() != null ? m.columns().keySet() : m.ignoredColumns().keySet()) {
      if (k.equalsIgnoreCase(col)) {
        return k;
      }
    }
    return m.columns() == null ? col : null;
  }

  /** Class names and client accessors of the models: a file naming one is about their table. */
  private static List<String> aliases(List<OrmModel> models) {
    List<String> out = new ArrayList<>();
    for (OrmModel m : models) {
      out.add(m.name());
      out.addAll(m.accessors());
    }
    return out;
  }

  private static boolean mentionsAny(Source s, List<String> names) {
    for (String n : names) {
      int i = s.text.indexOf(n);
      while (i >= 0) {
        char prev = i > 0 ? s.text.charAt(i - 1) : ' ';
        char next = i + n.length() < s.text.length() ? s.text.charAt(i + n.length()) : ' ';
        if (!isWordChar(prev) && !isWordChar(next)) {
          return true;
        }
        i = s.text.indexOf(n, i + 1);
      }
    }
    return false;
  }

  /** A reference to {@code path:line} of the running release, with the line's text when it is among the sources. */
  private Reference reference(String path, int line) {
    for (Source s : sources) {
      if (s.path().equals(path) && line >= 1 && line <= s.lineStarts().length) {
        String text = s.lineText(line);
        return new Reference(path, line, text.length() > 120 ? text.substring(0, 117) + "..." : text);
      }
    }
    return new Reference(path, Math.max(1, line), "");
  }

  private static boolean mentionsTable(Source s, String table) {
    String t = table.toLowerCase(Locale.ROOT);
    if (containsWord(s.lower, t)) {
      return true;
    }
    for (String e : entityNames(t)) {
      int i = s.text.indexOf(e);
      while (i >= 0) {
        char prev = i > 0 ? s.text.charAt(i - 1) : ' ';
        char next = i + e.length() < s.text.length() ? s.text.charAt(i + e.length()) : ' ';
        if (!Character.isLetterOrDigit(prev) && !(Character.isLowerCase(next) || Character.isDigit(next))) {
          return true;
        }
        i = s.text.indexOf(e, i + 1);
      }
    }
    return false;
  }

  /** {@code order_items} → {@code OrderItem}, {@code OrderItems}. */
  static List<String> entityNames(String table) {
    String pascal = camel(table, true);
    List<String> names = new ArrayList<>();
    names.add(pascal);
    if (pascal.endsWith("ies")) {
      names.add(pascal.substring(0, pascal.length() - 3) + "y");
    } else if (pascal.endsWith("ses") || pascal.endsWith("xes")) {
      names.add(pascal.substring(0, pascal.length() - 2));
    } else if (pascal.endsWith("s") && pascal.length() > 1) {
      names.add(pascal.substring(0, pascal.length() - 1));
    }
    return names;
  }

  static String camel(String snake, boolean upperFirst) {
    StringBuilder b = new StringBuilder(snake.length());
    boolean up = upperFirst;
    for (int i = 0; i < snake.length(); i++) {
      char c = snake.charAt(i);
      if (c == '_') {
        up = true;
        continue;
      }
      b.append(up ? Character.toUpperCase(c) : c);
      up = false;
    }
    return b.toString();
  }

  private static boolean containsWord(String haystack, String word) {
    return indexOfWord(haystack, word, 0) >= 0;
  }

  private static int indexOfWord(String haystack, String word, int from) {
    int i = haystack.indexOf(word, from);
    while (i >= 0) {
      boolean startOk = i == 0 || !isWordChar(haystack.charAt(i - 1));
      int e = i + word.length();
      // A Django lookup names the field before "__" (nickname__icontains=...).
      boolean endOk = e >= haystack.length() || !isWordChar(haystack.charAt(e))
          || haystack.startsWith("__", e) && !word.endsWith("_");
      if (startOk && endOk) {
        return i;
      }
      i = haystack.indexOf(word, i + 1);
    }
    return -1;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static void addWordRefs(Source s, String word, List<Reference> refs) {
    int from = 0;
    while ((from = indexOfWord(s.lower, word, from)) >= 0 && refs.size() < MAX_REFERENCES) {
      addRef(s, from, refs);
      from += word.length();
    }
  }

  private static void addCamelRefs(Source s, String camel, List<Reference> refs) {
    int i = s.text.indexOf(camel);
    while (i >= 0 && refs.size() < MAX_REFERENCES) {
      int e = i + camel.length();
      char next = e < s.text.length() ? s.text.charAt(e) : ' ';
      if (!(Character.isLowerCase(next) || Character.isDigit(next))) {
        addRef(s, i, refs);
      }
      i = s.text.indexOf(camel, i + 1);
    }
  }

  private static void addRef(Source s, int index, List<Reference> refs) {
    int line = s.lineOf(index);
    String text = s.lineText(line);
    if (text.startsWith("//") || text.startsWith("#") || text.startsWith("*") || text.startsWith("/*")
        || text.startsWith("--") || text.startsWith("<!--")) {
      return;
    }
    refs.add(new Reference(s.path(), line, text.length() > 120 ? text.substring(0, 117) + "..." : text));
  }

  private static List<Reference> dedupe(List<Reference> refs) {
    List<Reference> out = new ArrayList<>();
    for (Reference r : refs) {
      if (out.stream().noneMatch(o -> o.path().equals(r.path()) && o.line() == r.line())) {
        out.add(r);
      }
    }
    return out;
  }
}
