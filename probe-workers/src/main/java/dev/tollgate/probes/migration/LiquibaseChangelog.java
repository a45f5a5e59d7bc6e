package dev.tollgate.probes.migration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Problem;
import dev.tollgate.probes.migration.sql.SqlScript;
import dev.tollgate.probes.migration.sql.Statement;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Liquibase XML and YAML changelogs. Each change of the common types is rendered as the SQL Liquibase would run
 * and parsed by the same front end, so rules see one statement model whatever the source; {@code <sql>} bodies are
 * parsed as they are, and a {@code sqlFile}'s SQL is read from the repository. Every standard change type is in one of
 * three lists (read, not checked, not read); a change not read blocks as unreadable, whatever its type.
 */
final class LiquibaseChangelog {
  private LiquibaseChangelog() {}

  /** Change types Liquibase can generate the rollback of (its documented auto-rollback list). */
  private static final java.util.Set<String> AUTO_ROLLBACK = java.util.Set.of("addColumn", "addDefaultValue",
      "addForeignKeyConstraint", "addLookupTable", "addNotNullConstraint", "addPrimaryKey", "addUniqueConstraint",
      "createIndex", "createSequence", "createTable", "createView", "dropNotNullConstraint", "renameColumn",
      "renameSequence", "renameTable", "renameView", "tagDatabase", "empty", "output");
  /** Children of a changeSet that are not changes. */
  private static final java.util.Set<String> NOT_CHANGES = java.util.Set.of("comment", "preConditions", "precondition",
      "validCheckSum", "modifySql", "rollback");

  /** Change types {@link #statementsOf} renders as SQL ({@code sqlFile}: the file's SQL, when the repository has it). */
  private static final java.util.Set<String> READ = java.util.Set.of("sql", "sqlFile", "createTable", "addColumn",
      "dropColumn", "renameColumn", "renameTable", "dropTable", "dropView", "createIndex", "dropIndex",
      "addNotNullConstraint", "dropNotNullConstraint", "modifyDataType", "addForeignKeyConstraint", "addUniqueConstraint",
      "addPrimaryKey", "addCheckConstraint", "addDefaultValue", "delete", "update");
  /**
   * Standard change types not rendered because no rule looks for what they do to a live table: rows, new objects,
   * remarks, objects other than tables (sequences, views, routines, synonyms) and the removal of constraints the running
   * release does not notice.
   */
  private static final java.util.Set<String> NOT_CHECKED = java.util.Set.of("insert", "loadData", "loadUpdateData",
      "createSequence", "alterSequence", "dropSequence", "renameSequence", "createView", "renameView", "createProcedure",
      "dropProcedure", "createFunction", "dropFunction", "createPackage", "createPackageBody", "dropPackage",
      "dropPackageBody", "createSynonym", "dropSynonym", "tagDatabase", "output", "empty", "stop", "setTableRemarks",
      "setColumnRemarks", "addAutoIncrement", "dropForeignKeyConstraint", "dropAllForeignKeyConstraints",
      "dropDefaultValue", "dropUniqueConstraint", "dropCheckConstraint", "disableCheckConstraint");
  /**
   * Standard change types the probe does not read, so each one blocks ({@code unreadable-migration}): they run what the
   * probe cannot see ({@code customChange}, {@code executeCommand}), change what the running release reads or writes
   * ({@code mergeColumns}, {@code dropPrimaryKey}, {@code addLookupTable}, {@code markUnused}, triggers) or validate
   * rows under a lock ({@code enableCheckConstraint}). Listed so that every standard type is in one list on purpose; a
   * type in no list (not Liquibase's) blocks the same way.
   */
  static final java.util.Set<String> NOT_READ = java.util.Set.of("customChange", "executeCommand", "mergeColumns",
      "dropPrimaryKey", "addLookupTable", "markUnused", "createTrigger", "dropTrigger", "enableTrigger",
      "disableTrigger", "renameTrigger", "enableCheckConstraint");

  /**
   * The repository's files as a changelog refers to them (the candidate's or the baseline's): {@code include},
   * {@code includeAll} and {@code sqlFile} targets are looked up here.
   */
  interface Tree {
    /** Text of the file at {@code path}, empty when absent or over the read limit. */
    java.util.Optional<String> read(String path);

    /** True when some file lies under {@code dir}. */
    boolean hasDirectory(String dir);

    /** No repository (the CLI linting files): every target outside the changelog is unread. */
    Tree NONE = new Tree() {
      @Override
      public java.util.Optional<String> read(String path) {
        return java.util.Optional.empty();
      }

      @Override
      public boolean hasDirectory(String dir) {
        return false;
      }
    };
  }

  /** A changelog element, XML or YAML alike: attributes (scalar entries), children, text, line. */
  record Elem(String name, Map<String, String> attrs, List<Elem> children, String text, int line) {
    String attr(String key) {
      return attrs.get(key);
    }

    List<Elem> all(String childName) {
      return children.stream().filter(c -> c.name.equals(childName)).toList();
    }
  }

  static Migration read(String path, String text, Dialect dialect, boolean xml, Tree tree) {
    List<Problem> problems = new ArrayList<>();
    Elem root;
    try {
      root = xml ? xml(text) : yaml(text);
    } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
      problems.add(new Problem(1, "cannot read Liquibase changelog: " + e.getMessage()));
      return new Migration(path, Framework.LIQUIBASE, MigrationKind.UP, null, dialect, List.of(), problems, false, null);
    }
    List<TransactionUnit> units = new ArrayList<>();
    List<Unread> unread = new ArrayList<>();
    for (Elem cs : changeSets(root)) {
      units.add(changeSet(path, tree, cs, dialect, problems, unread));
    }
    includesOutside(path, tree, root, unread);
    return Migration.ofFramework(path, Framework.LIQUIBASE, null, dialect, units, problems, unread, List.of(), null, null,
        List.of());
  }

  /**
   * Includes of files the probe cannot find in the repository: an absolute filesystem path, a URL, a path that climbs
   * above the repository's root, one built from a {@code ${property}}, or a {@code classpath:} or leading-{@code /}
   * path that no resource root holds. Liquibase runs them; the probe does not see them, so each is unread (an author
   * could otherwise ship DDL through one).
   */
  private static void includesOutside(String path, Tree tree, Elem e, List<Unread> unread) {
    for (Elem c : e.children()) {
      if (c.name().equals("changeSet")) {
        continue;
      }
      if (c.name().equals("include") || c.name().equals("includeAll")) {
        String target = c.attr("file") != null ? c.attr("file") : c.attr("path");
        boolean relative = "true".equalsIgnoreCase(c.attr("relativeToChangelogFile"));
        boolean all = c.name().equals("includeAll");
        if (target != null && resolve(path, target, relative, tree, all) == null) {
          unread.add(new Unread(Math.max(1, c.line()), c.name() + " " + target,
              "it includes a file the probe cannot find in the repository, which Liquibase runs and the probe cannot read",
              Unread.Kind.SCHEMA));
        }
      }
      includesOutside(path, tree, c, unread);
    }
  }

  /**
   * The repository path {@code target} (of an include or sqlFile in {@code changelog}) names, or null when it names
   * nothing the probe can find there. A {@code classpath:} or leading-{@code /} path is looked up under the resource
   * roots ({@code src/main/resources}, a module's {@code <dir>/src/main/resources}, the changelog's own) and the
   * repository's root; a plain relative path is taken as it was before (it stays inside the repository).
   */
  static String resolve(String changelog, String target, boolean relative, Tree tree, boolean directory) {
    String t = target.strip().replace('\\', '/');
    if (t.contains("${")) {
      return null; // a changelog property: its value may come from outside the repository
    }
    boolean searchPath = t.startsWith("classpath:") || t.startsWith("/");
    if (t.startsWith("classpath:")) {
      t = t.substring("classpath:".length());
    }
    if (!searchPath && t.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return null; // a URL, another scheme, or a Windows drive
    }
    if (!searchPath) {
      int slash = changelog.lastIndexOf('/');
      return normalize((relative && slash >= 0 ? changelog.substring(0, slash + 1) : "") + t);
    }
    String inRoot = normalize(t);
    if (inRoot == null) {
      return null;
    }
    List<String> roots = new ArrayList<>(List.of("src/main/resources/", ""));
    int res = changelog.indexOf("src/main/resources/");
    if (res > 0) {
      roots.add(0, changelog.substring(0, res + "src/main/resources/".length()));
    }
    for (String r : roots) {
      String candidate = r + inRoot;
      if (directory ? tree.hasDirectory(candidate.replaceAll("/+$", "")) : tree.read(candidate).isPresent()) {
        return candidate;
      }
    }
    return null;
  }

  /** {@code path} without {@code .} and {@code ..} parts or leading slashes, or null when it climbs above the root. */
  private static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** The SQL of a {@code sqlFile} change from the repository, or null when the probe cannot find or read it. */
  private static String sqlFile(String changelog, Tree tree, Elem c) {
    String target = c.attr("path");
    if (target == null) {
      return null;
    }
    boolean relative = "true".equalsIgnoreCase(c.attr("relativeToChangelogFile"));
    String at = resolve(changelog, target, relative, tree, false);
    java.util.Optional<String> sql = at == null ? java.util.Optional.empty() : tree.read(at);
    if (sql.isEmpty() && !relative && !target.contains("${") && !target.strip().startsWith("classpath:")) {
      String found = resolve(changelog, "classpath:" + target, false, tree, false); // Liquibase's search path
      sql = found == null ? sql : tree.read(found);
    }
    return sql.orElse(null);
  }

  private static void unreadChange(Elem change, List<Unread> unread) {
    if (change.name().equals("sqlFile")) {
      return; // read from the repository, or unread with its own reason (changeSet)
    }
    if (!READ.contains(change.name()) && !NOT_CHECKED.contains(change.name()) && !NOT_CHANGES.contains(change.name())) {
      unread.add(new Unread(Math.max(1, change.line()), "<" + change.name() + ">",
          "a Liquibase change the probe does not read", Unread.Kind.SCHEMA));
    }
  }

  private static TransactionUnit changeSet(String path, Tree tree, Elem cs, Dialect dialect, List<Problem> problems,
      List<Unread> unread) {
    String author = cs.attrs().getOrDefault("author", "?");
    String id = cs.attrs().getOrDefault("id", "?");
    boolean runInTx = !"false".equalsIgnoreCase(cs.attr("runInTransaction"));
    boolean runOnChange = "true".equalsIgnoreCase(cs.attr("runOnChange"));
    List<Statement> statements = new ArrayList<>();
    String rollback = cs.attr("rollback");
    StringBuilder body = new StringBuilder();
    int changes = 0;
    boolean derivable = true;
    for (Elem change : cs.children()) {
      if (change.name().equals("rollback")) {
        rollback = change.text() != null ? change.text().strip() : render(change);
        continue;
      }
      if (change.name().equals("changes")) {
        for (Elem c : change.children()) {
          unreadChange(c, unread);
          body.append(render(c));
          statements.addAll(statementsOf(withSqlFile(path, tree, c, unread), dialect, problems));
          changes++;
          derivable &= AUTO_ROLLBACK.contains(c.name());
        }
        continue;
      }
      unreadChange(change, unread);
      body.append(render(change));
      statements.addAll(statementsOf(withSqlFile(path, tree, change, unread), dialect, problems));
      if (!NOT_CHANGES.contains(change.name())) {
        changes++;
        derivable &= AUTO_ROLLBACK.contains(change.name());
      }
    }
    Changeset changeset = new Changeset(author, id, cs.line(), runInTx, runOnChange, rollback,
        MigrationReader.collapse(body.toString()), changes > 0 && derivable);
    boolean tx = runInTx && dialect == Dialect.POSTGRESQL;
    return new TransactionUnit(tx ? "Liquibase runs changeset " + changeset.key() + " in one transaction" : "changeset " + changeset.key(),
        cs.line(), tx, statements, changeset);
  }

  /**
   * A {@code sqlFile} change as an {@code sql} change holding the file's SQL, so its statements are checked like any
   * other; unread when the probe cannot find or read the file. Any other change as it is.
   */
  private static Elem withSqlFile(String path, Tree tree, Elem c, List<Unread> unread) {
    if (!c.name().equals("sqlFile")) {
      return c;
    }
    String sql = sqlFile(path, tree, c);
    if (sql == null) {
      unread.add(new Unread(Math.max(1, c.line()), "<sqlFile " + c.attrs().getOrDefault("path", "") + ">",
          "a Liquibase sqlFile the probe cannot find or read in the repository", Unread.Kind.SCHEMA));
      return c;
    }
    return new Elem("sql", Map.of(), List.of(), sql, c.line());
  }

  private static String render(Elem e) {
    StringBuilder b = new StringBuilder(e.name()).append(e.attrs()).append(e.text() == null ? "" : e.text());
    for (Elem c : e.children()) {
      b.append(render(c));
    }
    return b.toString();
  }

  /** The SQL Liquibase runs for one change (for the dialect), parsed. */
  private static List<Statement> statementsOf(Elem c, Dialect dialect, List<Problem> problems) {
    String table = qualified(c, "tableName");
    boolean pg = dialect == Dialect.POSTGRESQL;
    List<String> sql = new ArrayList<>();
    switch (c.name()) {
      case "sql" -> sql.add(c.text() != null ? c.text() : c.attrs().getOrDefault("sql", ""));
      case "createTable" -> {
        List<String> cols = new ArrayList<>();
        for (Elem col : columns(c)) {
          cols.add(columnSql(col));
        }
        sql.add("CREATE TABLE " + table + " (" + String.join(", ", cols) + ")");
      }
      case "addColumn" -> {
        List<String> adds = new ArrayList<>();
        for (Elem col : columns(c)) {
          adds.add("ADD COLUMN " + columnSql(col));
        }
        sql.add("ALTER TABLE " + table + " " + String.join(", ", adds));
      }
      case "dropColumn" -> {
        List<String> names = new ArrayList<>();
        if (c.attr("columnName") != null) {
          names.add(c.attr("columnName"));
        }
        for (Elem col : columns(c)) {
          names.add(col.attr("name"));
        }
        sql.add("ALTER TABLE " + table + " " + String.join(", ", names.stream().map(n -> "DROP COLUMN " + n).toList()));
      }
      case "renameColumn" -> sql.add("ALTER TABLE " + table + " RENAME COLUMN " + c.attr("oldColumnName") + " TO "
          + c.attr("newColumnName"));
      case "renameTable" -> sql.add("ALTER TABLE " + qualified(c, "oldTableName") + " RENAME TO " + c.attr("newTableName"));
      case "dropTable" -> sql.add("DROP TABLE " + table
          + ("true".equalsIgnoreCase(c.attr("cascadeConstraints")) ? " CASCADE" : ""));
      case "dropView" -> sql.add("DROP VIEW " + qualified(c, "viewName"));
      case "createIndex" -> {
        List<String> cols = columns(c).stream().map(e -> e.attr("name")).toList();
        sql.add("CREATE " + ("true".equalsIgnoreCase(c.attr("unique")) ? "UNIQUE " : "") + "INDEX "
            + c.attrs().getOrDefault("indexName", "") + " ON " + table + " (" + String.join(", ", cols) + ")");
      }
      case "dropIndex" -> sql.add("DROP INDEX " + c.attr("indexName") + (pg ? "" : " ON " + table));
      case "addNotNullConstraint" -> {
        String col = c.attr("columnName");
        if (c.attr("defaultNullValue") != null) {
          sql.add("UPDATE " + table + " SET " + col + " = " + literal(c.attr("defaultNullValue")) + " WHERE " + col + " IS NULL");
        }
        sql.add(pg ? "ALTER TABLE " + table + " ALTER COLUMN " + col + " SET NOT NULL"
            : "ALTER TABLE " + table + " MODIFY " + col + " " + c.attrs().getOrDefault("columnDataType", "") + " NOT NULL");
      }
      case "dropNotNullConstraint" -> sql.add(pg ? "ALTER TABLE " + table + " ALTER COLUMN " + c.attr("columnName") + " DROP NOT NULL"
          : "ALTER TABLE " + table + " MODIFY " + c.attr("columnName") + " " + c.attrs().getOrDefault("columnDataType", "") + " NULL");
      case "modifyDataType" -> sql.add(pg ? "ALTER TABLE " + table + " ALTER COLUMN " + c.attr("columnName") + " TYPE "
          + c.attr("newDataType") : "ALTER TABLE " + table + " MODIFY " + c.attr("columnName") + " " + c.attr("newDataType"));
      case "addForeignKeyConstraint" -> sql.add("ALTER TABLE " + qualified(c, "baseTableName") + " ADD CONSTRAINT "
          + c.attrs().getOrDefault("constraintName", "fk") + " FOREIGN KEY (" + c.attr("baseColumnNames") + ") REFERENCES "
          + qualified(c, "referencedTableName") + " (" + c.attr("referencedColumnNames") + ")"
          + ("false".equalsIgnoreCase(c.attr("validate")) && pg ? " NOT VALID" : ""));
      case "addUniqueConstraint" -> sql.add("ALTER TABLE " + table + " ADD CONSTRAINT "
          + c.attrs().getOrDefault("constraintName", "uq") + " UNIQUE (" + c.attr("columnNames") + ")");
      case "addPrimaryKey" -> sql.add("ALTER TABLE " + table + " ADD CONSTRAINT "
          + c.attrs().getOrDefault("constraintName", "pk") + " PRIMARY KEY (" + c.attr("columnNames") + ")");
      case "addCheckConstraint" -> sql.add("ALTER TABLE " + table + " ADD CONSTRAINT "
          + c.attrs().getOrDefault("constraintName", "ck") + " CHECK (" + c.attrs().getOrDefault("constraintBody",
              c.text() == null ? "true" : c.text().strip()) + ")"
          + ("false".equalsIgnoreCase(c.attr("validate")) && pg ? " NOT VALID" : ""));
      case "addDefaultValue" -> sql.add("ALTER TABLE " + table + " ALTER COLUMN " + c.attr("columnName") + " SET DEFAULT "
          + defaultSql(c));
      case "delete" -> sql.add("DELETE FROM " + table + where(c));
      case "update" -> {
        List<String> sets = columns(c).stream().map(col -> col.attr("name") + " = " + valueSql(col)).toList();
        sql.add("UPDATE " + table + " SET " + String.join(", ", sets) + where(c));
      }
      default -> { }
    }
    List<Statement> out = new ArrayList<>();
    for (String s : sql) {
      // Rendered SQL sits on the change's own line, so findings point at the XML/YAML element.
      int line = c.name().equals("sql") ? Math.max(1, c.line()) : c.line();
      SqlScript script = SqlScript.parse(s, 0, s.length(), line, dialect);
      problems.addAll(script.problems());
      for (Statement st : script.statements()) {
        out.add(st);
      }
    }
    return out;
  }

  private static List<Elem> columns(Elem c) {
    List<Elem> cols = new ArrayList<>(c.all("column"));
    for (Elem list : c.all("columns")) {
      cols.addAll(list.all("column"));
    }
    return cols;
  }

  private static String qualified(Elem c, String attr) {
    String schema = c.attr("schemaName");
    String name = c.attrs().getOrDefault(attr, "unknown_table");
    return schema == null ? name : schema + "." + name;
  }

  private static String columnSql(Elem col) {
    StringBuilder b = new StringBuilder(col.attrs().getOrDefault("name", "unknown")).append(' ')
        .append(col.attrs().getOrDefault("type", "text"));
    if (col.attr("autoIncrement") != null && "true".equalsIgnoreCase(col.attr("autoIncrement"))) {
      b.append(" GENERATED BY DEFAULT AS IDENTITY");
    }
    String dflt = defaultSql(col);
    if (dflt != null) {
      b.append(" DEFAULT ").append(dflt);
    }
    for (Elem k : col.all("constraints")) {
      if ("false".equalsIgnoreCase(k.attr("nullable"))) {
        b.append(" NOT NULL");
      }
      if ("true".equalsIgnoreCase(k.attr("primaryKey"))) {
        b.append(" PRIMARY KEY");
      }
      if ("true".equalsIgnoreCase(k.attr("unique"))) {
        b.append(" UNIQUE");
      }
      if (k.attr("referencedTableName") != null) {
        b.append(" REFERENCES ").append(k.attr("referencedTableName"));
      } else if (k.attr("references") != null) {
        String ref = k.attr("references");
        b.append(" REFERENCES ").append(ref.contains("(") ? ref.substring(0, ref.indexOf('(')) : ref);
      }
    }
    return b.toString();
  }

  private static String defaultSql(Elem e) {
    if (e.attr("defaultValue") != null) {
      return literal(e.attr("defaultValue"));
    }
    if (e.attr("defaultValueNumeric") != null) {
      return e.attr("defaultValueNumeric");
    }
    if (e.attr("defaultValueBoolean") != null) {
      return e.attr("defaultValueBoolean");
    }
    if (e.attr("defaultValueComputed") != null) {
      return e.attr("defaultValueComputed");
    }
    if (e.attr("defaultValueDate") != null) {
      return literal(e.attr("defaultValueDate"));
    }
    return null;
  }

  private static String valueSql(Elem col) {
    if (col.attr("value") != null) {
      return literal(col.attr("value"));
    }
    if (col.attr("valueNumeric") != null) {
      return col.attr("valueNumeric");
    }
    if (col.attr("valueBoolean") != null) {
      return col.attr("valueBoolean");
    }
    if (col.attr("valueComputed") != null) {
      return col.attr("valueComputed");
    }
    return "NULL";
  }

  private static String where(Elem c) {
    String w = c.attr("where");
    for (Elem e : c.all("where")) {
      w = e.text();
    }
    return w == null || w.isBlank() ? "" : " WHERE " + w;
  }

  private static String literal(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  // ---------------------------------------------------------------- XML (SAX: it knows line numbers)

  private static Elem xml(String text) throws ParserConfigurationException, SAXException, IOException {
    SAXParserFactory f = SAXParserFactory.newInstance();
    // Changelogs come from the repository under review: no DTDs, no external entities.
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setNamespaceAware(true);
    List<Elem> stack = new ArrayList<>();
    List<StringBuilder> texts = new ArrayList<>();
    Elem[] root = new Elem[1];
    f.newSAXParser().parse(new InputSource(new StringReader(text)), new DefaultHandler() {
      private Locator locator;

      @Override
      public void setDocumentLocator(Locator l) {
        locator = l;
      }

      @Override
      public void startElement(String uri, String localName, String qName, Attributes atts) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < atts.getLength(); i++) {
          attrs.put(atts.getLocalName(i).isEmpty() ? atts.getQName(i) : atts.getLocalName(i), atts.getValue(i));
        }
        String name = localName.isEmpty() ? qName : localName;
        stack.add(new Elem(name, attrs, new ArrayList<>(), null, locator == null ? 1 : locator.getLineNumber()));
        texts.add(new StringBuilder());
      }

      @Override
      public void characters(char[] ch, int start, int length) {
        if (!texts.isEmpty()) {
          texts.get(texts.size() - 1).append(ch, start, length);
        }
      }

      @Override
      public void endElement(String uri, String localName, String qName) {
        Elem e = stack.remove(stack.size() - 1);
        String body = texts.remove(texts.size() - 1).toString();
        Elem done = new Elem(e.name(), e.attrs(), e.children(), body.isBlank() ? null : body, e.line());
        if (stack.isEmpty()) {
          root[0] = done;
        } else {
          stack.get(stack.size() - 1).children().add(done);
        }
      }
    });
    if (root[0] == null) {
      throw new SAXException("empty document");
    }
    return root[0];
  }

  // ---------------------------------------------------------------- YAML (streaming: it knows line numbers)

  private static Elem yaml(String text) throws IOException {
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IOException("expected a mapping at the top");
      }
      return yamlObject("root", parser, parser.currentLocation().getLineNr());
    }
  }

  /** Reads a mapping (the parser is at its START_OBJECT) into an element. */
  private static Elem yamlObject(String name, JsonParser parser, int line) throws IOException {
    Map<String, String> attrs = new LinkedHashMap<>();
    List<Elem> children = new ArrayList<>();
    String text = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = parser.currentLocation().getLineNr();
      JsonToken v = parser.nextToken();
      if (v == JsonToken.START_OBJECT) {
        children.add(yamlObject(key, parser, keyLine));
      } else if (v == JsonToken.START_ARRAY) {
        children.add(yamlArray(key, parser, keyLine));
      } else if (v != null && v.isScalarValue()) {
        if (key.equals("sql") && name.equals("sql")) {
          text = parser.getText();
        }
        attrs.put(key, parser.getText());
      }
    }
    return new Elem(name, attrs, children, text, line);
  }

  /** Reads a list; single-key mappings become elements named by their key (Liquibase's YAML shape). */
  private static Elem yamlArray(String name, JsonParser parser, int line) throws IOException {
    List<Elem> items = new ArrayList<>();
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t == JsonToken.START_OBJECT) {
        int itemLine = parser.currentLocation().getLineNr();
        Elem item = yamlObject("item", parser, itemLine);
        if (item.attrs().size() + item.children().size() == 1 && item.children().size() == 1) {
          items.add(item.children().get(0));
        } else if (item.attrs().size() == 1 && item.children().isEmpty()) {
          var e = item.attrs().entrySet().iterator().next();
          items.add(new Elem(e.getKey(), Map.of(), List.of(), e.getValue(), itemLine));
        } else {
          items.add(item);
        }
      } else if (t == JsonToken.START_ARRAY) {
        items.add(yamlArray("item", parser, parser.currentLocation().getLineNr()));
      }
    }
    return new Elem(name, Map.of(), items, null, line);
  }

  /** The root's changeSets whether the root is XML's element or YAML's list. */
  static List<Elem> changeSets(Elem root) {
    List<Elem> out = new ArrayList<>(root.all("changeSet"));
    for (Elem list : root.all("databaseChangeLog")) {
      out.addAll(list.all("changeSet"));
    }
    return out;
  }
}
