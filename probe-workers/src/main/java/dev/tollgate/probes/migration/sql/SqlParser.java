package dev.tollgate.probes.migration.sql;

import dev.tollgate.probes.migration.sql.Command.RowFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits tokens into statements and builds the {@link Command} model, by recursive descent over the parts of the
 * grammar the rules need. Anything else keeps its leading keywords ({@link Command.Other}); a statement that cannot
 * be read becomes {@link Command.Invalid} with the reason. One instance per token list; not thread-safe.
 *
 * <p>Splitting follows psql and Flyway: a {@code ;} ends a statement only outside parentheses and outside
 * {@code BEGIN ATOMIC ... END} (PostgreSQL SQL-standard routine bodies) and MySQL {@code BEGIN ... END} routine
 * bodies; MySQL {@code DELIMITER} lines change the terminator.
 */
final class SqlParser {
  /** Thrown inside one statement; becomes its {@link Command.Invalid}. No stack trace: it is control flow. */
  private static final class ParseError extends RuntimeException {
    ParseError(String message) {
      super(message, null, false, false);
    }
  }

  private static final int MODE_NONE = 0;
  private static final int MODE_PG_ROUTINE = 1;
  private static final int MODE_MYSQL_COMPOUND = 2;

  /** Words that begin a statement: used to recover from an unclosed parenthesis at the next line start. */
  private static final Set<String> STARTERS = Set.of("ALTER", "CREATE", "DROP", "INSERT", "UPDATE", "DELETE", "TRUNCATE",
      "COMMENT", "GRANT", "REVOKE", "SET", "BEGIN", "COMMIT", "DO", "REINDEX", "VACUUM", "LOCK", "REFRESH", "RENAME");

  /** Column-definition words that end a DEFAULT expression. */
  private static final Set<String> COLUMN_CLAUSES = Set.of("NOT", "NULL", "CONSTRAINT", "PRIMARY", "UNIQUE", "REFERENCES",
      "CHECK", "GENERATED", "COLLATE", "ON", "AUTO_INCREMENT", "COMMENT", "FIRST", "AFTER", "COLUMN_FORMAT", "STORAGE",
      "VISIBLE", "INVISIBLE", "CHARACTER", "CHARSET", "COMPRESSION", "DEFERRABLE", "INITIALLY", "SRID", "KEY");

  /** Words that may follow a column name where a type would be (PARTITION OF / typed-table columns have none). */
  private static final Set<String> NOT_A_TYPE = Set.of("NOT", "NULL", "DEFAULT", "CONSTRAINT", "PRIMARY", "UNIQUE",
      "REFERENCES", "CHECK", "GENERATED", "WITH");

  private boolean isColumnClause(int k) {
    String w = t.keyword(k);
    return w != null && COLUMN_CLAUSES.contains(w);
  }

  private boolean isNotAType(int k) {
    String w = t.keyword(k);
    return w != null && NOT_A_TYPE.contains(w);
  }

  /** Statement verbs inside a PL/pgSQL block that run SQL. */
  private static final Set<String> SQL_VERBS = Set.of("ALTER", "CREATE", "DROP", "INSERT", "UPDATE", "DELETE", "TRUNCATE",
      "LOCK", "REFRESH", "REINDEX", "CLUSTER", "COMMENT", "GRANT", "REVOKE", "SELECT", "PERFORM", "SET", "WITH", "ANALYZE",
      "MERGE", "COMMIT", "ROLLBACK");

  private final Tokens t;
  private final Dialect dialect;
  private final boolean mysql;
  private final List<Problem> problems;
  private final int[] lexicalProblemLines;
  private final List<Statement> out;
  private int p;
  private int end;

  private SqlParser(Tokens t, Dialect dialect, List<Problem> problems, List<Statement> out) {
    this.t = t;
    this.dialect = dialect;
    this.mysql = dialect == Dialect.MYSQL;
    this.problems = problems;
    this.out = out;
    this.lexicalProblemLines = problems.stream().mapToInt(Problem::line).sorted().toArray();
  }

  static SqlScript parse(String src, int from, int to, int firstLine, Dialect dialect) {
    List<Problem> problems = new ArrayList<>();
    Tokens tokens = Lexer.lex(src, from, to, firstLine, dialect, problems);
    List<Statement> out = new ArrayList<>();
    new SqlParser(tokens, dialect, problems, out).split(null);
    return new SqlScript(dialect, out, problems);
  }

  // ---------------------------------------------------------------- splitting

  private void split(Statement enclosing) {
    int n = t.size;
    int i = 0;
    while (i < n) {
      byte ty = t.type[i];
      if (ty == Tokens.META || ty == Tokens.SEMI || ty == Tokens.END) {
        i++;
        continue;
      }
      int a = i;
      int depth = 0;
      int block = 0;
      int mode = blockMode(a);
      boolean unbalanced = false;
      int j = a;
      for (; j < n; j++) {
        byte y = t.type[j];
        if (y == Tokens.LPAREN) {
          depth++;
        } else if (y == Tokens.RPAREN) {
          if (depth > 0) {
            depth--;
          }
        } else if (y == Tokens.META || y == Tokens.END) {
          break;
        } else if (y == Tokens.SEMI) {
          if (depth == 0 && block == 0) {
            break;
          }
          if (depth > 0 && j + 1 < n && t.type[j + 1] == Tokens.WORD && t.line[j + 1] > t.line[j]
              && STARTERS.contains(t.upper(j + 1))) {
            // An unclosed '(' would swallow the rest of the file: end the statement here and say so.
            unbalanced = true;
            break;
          }
        } else if (y == Tokens.WORD && mode != MODE_NONE) {
          block = trackBlock(mode, j, block);
        }
      }
      if (j == n && depth > 0) {
        unbalanced = true;
      }
      emit(a, j - 1, enclosing, unbalanced ? "unbalanced parentheses: a '(' is not closed" : null);
      i = j + 1;
    }
  }

  private int blockMode(int a) {
    if (!t.isWord(a, "CREATE")) {
      return MODE_NONE;
    }
    int limit = Math.min(t.size, a + 14);
    for (int k = a + 1; k < limit; k++) {
      if (t.type[k] == Tokens.SEMI || t.type[k] == Tokens.END || t.type[k] == Tokens.LPAREN) {
        return MODE_NONE;
      }
      String w = t.keyword(k);
      if (w == null) {
        continue;
      }
      switch (w) {
        case "FUNCTION", "PROCEDURE" -> {
          return mysql ? MODE_MYSQL_COMPOUND : MODE_PG_ROUTINE;
        }
        case "TRIGGER", "EVENT" -> {
          return mysql ? MODE_MYSQL_COMPOUND : MODE_NONE;
        }
        case "TABLE", "INDEX", "VIEW", "TYPE", "DOMAIN", "SCHEMA", "DATABASE", "SEQUENCE", "EXTENSION", "RULE" -> {
          return MODE_NONE;
        }
        default -> { }
      }
    }
    return MODE_NONE;
  }

  private int trackBlock(int mode, int j, int block) {
    if (mode == MODE_PG_ROUTINE) {
      if (t.isWord(j, "BEGIN") && j + 1 < t.size && t.isWord(j + 1, "ATOMIC")) {
        return block + 1;
      }
      if (block > 0 && t.isWord(j, "CASE")) {
        return block + 1;
      }
      if (block > 0 && t.isWord(j, "END")) {
        return block - 1;
      }
      return block;
    }
    if (t.isWord(j, "BEGIN") || t.isWord(j, "CASE")) {
      return block + 1;
    }
    if (t.isWord(j, "END")) {
      if (j + 1 < t.size && t.type[j + 1] == Tokens.WORD) {
        String next = t.upper(j + 1);
        if (next.equals("IF") || next.equals("LOOP") || next.equals("WHILE") || next.equals("REPEAT")) {
          return block;
        }
      }
      return Math.max(0, block - 1);
    }
    return block;
  }

  private void emit(int a, int b, Statement enclosing, String structuralProblem) {
    if (b < a) {
      return;
    }
    int line = t.line[a];
    int endLine = t.line[b];
    if (t.type[b] == Tokens.STRING || t.type[b] == Tokens.DOLLAR || t.type[b] == Tokens.QIDENT) {
      for (int k = t.start[b]; k < t.end[b]; k++) {
        if (t.src.charAt(k) == '\n') {
          endLine++;
        }
      }
    }
    List<String> literals = literals(a, b);
    String lexical = lexicalProblem(line, endLine);
    if (structuralProblem != null && lexical == null) {
      problems.add(new Problem(line, structuralProblem));
    }
    String bad = lexical != null ? lexical : structuralProblem;
    if (bad != null) {
      out.add(new Statement(new Command.Invalid(bad), t.src, t.start[a], t.end[b], line, endLine, enclosing, literals));
      return;
    }
    if (!mysql && t.isWord(a, "DO")) {
      doBlock(a, b, line, endLine, enclosing, literals);
      return;
    }
    Command c;
    p = a;
    end = b + 1;
    try {
      c = statement();
    } catch (ParseError e) {
      c = new Command.Invalid(e.getMessage());
      problems.add(new Problem(line, e.getMessage()));
    }
    out.add(new Statement(c, t.src, t.start[a], t.end[b], line, endLine, enclosing, literals));
  }

  private String lexicalProblem(int line, int endLine) {
    if (lexicalProblemLines.length == 0) {
      return null;
    }
    int k = Arrays.binarySearch(lexicalProblemLines, line);
    if (k < 0) {
      k = -k - 1;
    }
    if (k < lexicalProblemLines.length && lexicalProblemLines[k] <= endLine) {
      int wanted = lexicalProblemLines[k];
      for (Problem pr : problems) {
        if (pr.line() == wanted) {
          return pr.message();
        }
      }
    }
    return null;
  }

  private List<String> literals(int a, int b) {
    List<String> found = null;
    for (int k = a; k <= b; k++) {
      if (t.type[k] == Tokens.STRING) {
        if (found == null) {
          found = new ArrayList<>(2);
        }
        found.add(stringValue(k));
      }
    }
    return found == null ? List.of() : found;
  }

  // ---------------------------------------------------------------- DO blocks

  private void doBlock(int a, int b, int line, int endLine, Statement enclosing, List<String> literals) {
    int body = -1;
    String language = "plpgsql";
    for (int k = a + 1; k <= b; k++) {
      if (t.type[k] == Tokens.DOLLAR || t.type[k] == Tokens.STRING) {
        body = k;
      } else if (t.isWord(k, "LANGUAGE") && k + 1 <= b) {
        language = t.text(k + 1).toLowerCase(Locale.ROOT).replace("'", "");
      }
    }
    if (body < 0) {
      problems.add(new Problem(line, "DO without a body"));
      out.add(new Statement(new Command.Invalid("DO without a body"), t.src, t.start[a], t.end[b], line, endLine, enclosing,
          literals));
      return;
    }
    Tokens inner;
    if (t.type[body] == Tokens.DOLLAR) {
      String text = t.text(body);
      int tagLen = text.indexOf('$', 1) + 1;
      inner = Lexer.lex(t.src, t.start[body] + tagLen, t.end[body] - tagLen, t.line[body], Dialect.POSTGRESQL, problems);
    } else {
      // A single-quoted body: unescape once, then read it like a dollar-quoted one. Lines stay aligned.
      String unescaped = stringValue(body);
      inner = Lexer.lex(unescaped, 0, unescaped.length(), t.line[body], Dialect.POSTGRESQL, problems);
    }
    boolean plpgsql = language.equals("plpgsql");
    List<int[]> pieces = new ArrayList<>();
    boolean dynamic = !plpgsql || plpgsqlPieces(inner, pieces);
    Statement block = new Statement(new Command.DoBlock(language, dynamic), t.src, t.start[a], t.end[b], line, endLine,
        enclosing, literals);
    out.add(block);
    if (!plpgsql) {
      return;
    }
    SqlParser innerParser = new SqlParser(inner, Dialect.POSTGRESQL, problems, out);
    for (int[] piece : pieces) {
      if (piece[2] == 1) {
        // EXECUTE 'constant SQL': the string is the statement.
        String sql = innerParser.stringValue(piece[0]);
        int firstLine = inner.line[piece[0]];
        SqlScript script = SqlParser.parse(sql, 0, sql.length(), firstLine, Dialect.POSTGRESQL);
        problems.addAll(script.problems());
        for (Statement s : script.statements()) {
          out.add(s.within(block));
        }
      } else {
        innerParser.emit(piece[0], piece[1], block, null);
      }
    }
  }

  /**
   * Finds the SQL statements of a PL/pgSQL body: splits at top-level semicolons and strips the control structure
   * around each piece (DECLARE, BEGIN, IF ... THEN, LOOP, EXCEPTION WHEN ... THEN, labels). Adds {start, end, 0}
   * for a statement and {stringToken, -, 1} for EXECUTE of a constant string.
   *
   * @return true when the block runs dynamic SQL that cannot be read (EXECUTE of an expression)
   */
  private static boolean plpgsqlPieces(Tokens in, List<int[]> pieces) {
    boolean dynamic = false;
    int n = in.size;
    int a = 0;
    while (a < n) {
      int depth = 0;
      int b = a;
      while (b < n && !(in.type[b] == Tokens.SEMI && depth == 0)) {
        if (in.type[b] == Tokens.LPAREN) {
          depth++;
        } else if (in.type[b] == Tokens.RPAREN && depth > 0) {
          depth--;
        }
        b++;
      }
      int last = b - 1;
      int i = a;
      boolean done = false;
      while (!done && i <= last) {
        if (in.type[i] == Tokens.OP && in.text(i).startsWith("<<")) {
          while (i <= last && !(in.type[i] == Tokens.OP && in.text(i).endsWith(">>"))) {
            i++;
          }
          i++;
          continue;
        }
        if (in.type[i] != Tokens.WORD) {
          done = true;
          continue;
        }
        String w = in.keyword(i);
        if (w == null) {
          done = true;
          continue;
        }
        switch (w) {
          case "DECLARE" -> {
            int k = findWord(in, i + 1, last, "BEGIN");
            if (k < 0) {
              done = true;
              i = last + 1;
            } else {
              i = k + 1;
            }
          }
          case "BEGIN", "ELSE", "LOOP", "EXCEPTION" -> i++;
          case "IF", "ELSIF", "ELSEIF", "WHEN" -> {
            int k = findWord(in, i + 1, last, "THEN");
            i = k < 0 ? last + 1 : k + 1;
          }
          case "WHILE", "FOR", "FOREACH" -> {
            int k = findWord(in, i + 1, last, "LOOP");
            i = k < 0 ? last + 1 : k + 1;
          }
          case "CASE" -> {
            int k = findWord(in, i + 1, last, "WHEN");
            i = k < 0 ? last + 1 : k;
          }
          case "EXECUTE" -> {
            boolean constant = i + 1 <= last && in.type[i + 1] == Tokens.STRING
                && (i + 1 == last || in.isWord(i + 2, "INTO") || in.isWord(i + 2, "USING"));
            if (constant) {
              pieces.add(new int[] {i + 1, i + 1, 1});
            } else {
              dynamic = true;
            }
            done = true;
          }
          default -> {
            if (SQL_VERBS.contains(w)) {
              pieces.add(new int[] {i, last, 0});
            }
            done = true;
          }
        }
      }
      a = b + 1;
    }
    return dynamic;
  }

  private static int findWord(Tokens in, int from, int to, String word) {
    int depth = 0;
    for (int k = from; k <= to; k++) {
      if (in.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (in.type[k] == Tokens.RPAREN && depth > 0) {
        depth--;
      } else if (depth == 0 && in.isWord(k, word)) {
        return k;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- statements

  private Command statement() {
    if (t.type[p] != Tokens.WORD) {
      if (t.type[p] == Tokens.LPAREN) {
        return new Command.Other("SELECT");
      }
      throw err("expected a statement keyword, found '" + t.text(p) + "'");
    }
    String kw = t.keyword(p);
    if (kw == null) {
      return new Command.Other(leadingWords(2));
    }
    return switch (kw) {
      case "ALTER" -> alter();
      case "CREATE" -> create();
      case "DROP" -> drop();
      case "RENAME" -> renameTables();
      case "UPDATE" -> update(false);
      case "DELETE" -> delete(false);
      case "INSERT", "REPLACE" -> insert();
      case "TRUNCATE" -> truncate();
      case "LOCK" -> lock();
      case "REINDEX" -> reindex();
      case "VACUUM" -> vacuum();
      case "CLUSTER" -> cluster();
      case "REFRESH" -> refresh();
      case "SET" -> set();
      case "SELECT", "PERFORM" -> select();
      case "WITH" -> with();
      case "BEGIN" -> {
        p++;
        yield new Command.Transaction(Command.TxOp.BEGIN);
      }
      case "START" -> {
        p++;
        if (accept("TRANSACTION")) {
          yield new Command.Transaction(Command.TxOp.BEGIN);
        }
        yield new Command.Other("START");
      }
      case "COMMIT", "END" -> new Command.Transaction(Command.TxOp.COMMIT);
      case "ROLLBACK", "ABORT" -> {
        p++;
        accept("WORK");
        accept("TRANSACTION");
        yield new Command.Transaction(word("TO") ? Command.TxOp.ROLLBACK_TO : Command.TxOp.ROLLBACK);
      }
      case "SAVEPOINT" -> new Command.Transaction(Command.TxOp.SAVEPOINT);
      case "RELEASE" -> new Command.Transaction(Command.TxOp.RELEASE);
      default -> new Command.Other(leadingWords(2));
    };
  }

  private String leadingWords(int max) {
    StringBuilder b = new StringBuilder();
    for (int k = p, n = 0; k < end && n < max && t.type[k] == Tokens.WORD; k++, n++) {
      if (n > 0) {
        b.append(' ');
      }
      b.append(t.upper(k));
    }
    return b.toString();
  }

  // ALTER ...

  private Command alter() {
    int start = p;
    p++;
    if (mysql) {
      accept("ONLINE");
      accept("IGNORE");
    }
    if (accept("TABLE")) {
      return alterTable();
    }
    if (accept("TYPE")) {
      return alterType();
    }
    if (accept("DOMAIN")) {
      Name name = qname();
      if (accept("ADD")) {
        boolean notValid = false;
        for (int k = p; k + 1 < end; k++) {
          if (t.isWord(k, "NOT") && t.isWord(k + 1, "VALID")) {
            notValid = true;
          }
        }
        return new Command.AlterDomain(name, true, notValid);
      }
      return new Command.AlterDomain(name, false, false);
    }
    String type;
    if (accept("MATERIALIZED")) {
      expect("VIEW");
      type = "MATERIALIZED VIEW";
    } else if (p < end && t.type[p] == Tokens.WORD) {
      type = t.upper(p);
      p++;
    } else {
      throw err("expected an object type after ALTER");
    }
    switch (type) {
      case "SCHEMA", "VIEW", "INDEX", "SEQUENCE", "DATABASE", "FUNCTION", "PROCEDURE", "MATERIALIZED VIEW" -> {
        accept("IF", "EXISTS");
        if (p >= end || !(t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT)) {
          break;
        }
        Name name = qname();
        if (p < end && t.type[p] == Tokens.LPAREN) {
          skipParens();
        }
        if (accept("RENAME") && accept("TO")) {
          return new Command.AlterRename(type, name, ident());
        }
      }
      default -> { }
    }
    p = start;
    return new Command.Other(leadingWords(2));
  }

  private Command alterTable() {
    boolean ifExists = accept("IF", "EXISTS");
    accept("ONLY");
    if (word("ALL") && p + 1 < end && t.isWord(p + 1, "IN")) {
      return new Command.Other("ALTER TABLE ALL IN TABLESPACE");
    }
    Name table = qname();
    if (p < end && t.type[p] == Tokens.OP && t.text(p).equals("*")) {
      p++;
    }
    List<AlterAction> actions = new ArrayList<>();
    String algorithm = null;
    String lock = null;
    int stmtEnd = end;
    while (p < stmtEnd) {
      int b = nextComma(p, stmtEnd);
      end = b;
      int before = actions.size();
      alterActions(actions);
      end = stmtEnd;
      for (int k = actions.size() - 1; k >= before; k--) {
        if (actions.get(k) instanceof AlterAction.Option o) {
          if (o.name().equals("ALGORITHM")) {
            algorithm = o.value().toUpperCase(Locale.ROOT);
            actions.remove(k);
          } else if (o.name().equals("LOCK")) {
            lock = o.value().toUpperCase(Locale.ROOT);
            actions.remove(k);
          }
        }
      }
      p = b + 1;
    }
    if (actions.isEmpty() && algorithm == null && lock == null) {
      throw err("ALTER TABLE " + table + ": expected an action");
    }
    return new Command.AlterTable(table, ifExists, actions, algorithm, lock);
  }

  private int nextComma(int from, int limit) {
    int depth = 0;
    for (int k = from; k < limit; k++) {
      byte y = t.type[k];
      if (y == Tokens.LPAREN) {
        depth++;
      } else if (y == Tokens.RPAREN) {
        depth--;
      } else if (y == Tokens.COMMA && depth == 0) {
        return k;
      }
    }
    return limit;
  }

  /** Parses one comma-separated part of ALTER TABLE [p, end) into one or more actions. */
  private void alterActions(List<AlterAction> actions) {
    if (p >= end) {
      throw err("empty ALTER TABLE action");
    }
    int start = p;
    if (t.type[p] != Tokens.WORD) {
      actions.add(new AlterAction.Other(textFrom(start)));
      return;
    }
    String k = t.keyword(p);
    if (k == null) {
      tableOptions(actions, start);
      return;
    }
    switch (k) {
      case "ADD" -> {
        p++;
        add(actions);
      }
      case "DROP" -> {
        p++;
        actions.add(dropAction());
      }
      case "ALTER" -> {
        p++;
        actions.add(alterColumn(start));
      }
      case "MODIFY" -> {
        p++;
        accept("COLUMN");
        actions.add(new AlterAction.ModifyColumn(null, columnDef()));
      }
      case "CHANGE" -> {
        p++;
        accept("COLUMN");
        String old = ident();
        actions.add(new AlterAction.ModifyColumn(old, columnDef()));
      }
      case "RENAME" -> {
        p++;
        actions.add(renameAction(start));
      }
      case "VALIDATE" -> {
        p++;
        expect("CONSTRAINT");
        actions.add(new AlterAction.ValidateConstraint(ident()));
      }
      case "ATTACH" -> {
        p++;
        expect("PARTITION");
        actions.add(new AlterAction.AttachPartition(qname()));
      }
      case "DETACH" -> {
        p++;
        expect("PARTITION");
        Name part = qname();
        boolean conc = accept("CONCURRENTLY");
        boolean fin = accept("FINALIZE");
        actions.add(new AlterAction.DetachPartition(part, conc, fin));
      }
      case "SET" -> {
        p++;
        if (accept("LOGGED")) {
          actions.add(new AlterAction.SetLogged(true));
        } else if (accept("UNLOGGED")) {
          actions.add(new AlterAction.SetLogged(false));
        } else if (accept("TABLESPACE")) {
          actions.add(new AlterAction.SetTablespace(ident()));
        } else if (accept("ACCESS", "METHOD")) {
          actions.add(new AlterAction.SetAccessMethod(ident()));
        } else if (accept("SCHEMA")) {
          actions.add(new AlterAction.Option("SET SCHEMA", ident()));
        } else {
          actions.add(new AlterAction.Option("SET", textFrom(p)));
        }
      }
      case "CONVERT" -> {
        p++;
        accept("TO");
        if (!accept("CHARACTER", "SET")) {
          accept("CHARSET");
        }
        actions.add(new AlterAction.Option("CONVERT TO CHARACTER SET", p < end ? t.text(p) : ""));
      }
      case "PARTITION" -> actions.add(new AlterAction.Option("PARTITION BY", textFrom(p)));
      case "REMOVE" -> actions.add(new AlterAction.Option("REMOVE PARTITIONING", ""));
      case "REORGANIZE", "COALESCE", "EXCHANGE", "DISCARD", "IMPORT", "REBUILD", "REPAIR", "OPTIMIZE", "ANALYZE" ->
          actions.add(new AlterAction.Option(k + " PARTITION", textFrom(p)));
      case "OWNER", "ENABLE", "DISABLE", "CLUSTER", "REPLICA", "INHERIT", "NO", "OF", "NOT", "RESET" ->
          actions.add(new AlterAction.Option(leadingWords(2), textFrom(p)));
      default -> tableOptions(actions, start);
    }
  }

  /** MySQL table options, space-separated: ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ALGORITHM=INSTANT ... */
  private void tableOptions(List<AlterAction> actions, int start) {
    while (p < end) {
      if (t.type[p] != Tokens.WORD) {
        actions.add(new AlterAction.Other(textFrom(start)));
        return;
      }
      accept("DEFAULT");
      String name;
      if (accept("CHARACTER", "SET") || accept("CHARSET")) {
        name = "CHARACTER SET";
      } else if (accept("FORCE")) {
        actions.add(new AlterAction.Option("FORCE", ""));
        continue;
      } else if (p < end && t.type[p] == Tokens.WORD) {
        name = t.upper(p);
        p++;
      } else {
        actions.add(new AlterAction.Other(textFrom(start)));
        return;
      }
      if (p < end && t.type[p] == Tokens.OP && t.text(p).equals("=")) {
        p++;
      }
      String value = p < end ? valueText(p) : "";
      if (p < end) {
        p++;
      }
      actions.add(new AlterAction.Option(name, value));
    }
  }

  private String valueText(int k) {
    return t.type[k] == Tokens.STRING ? stringValue(k) : t.type[k] == Tokens.QIDENT ? identAt(k) : t.text(k);
  }

  private void add(List<AlterAction> actions) {
    if (accept("COLUMN")) {
      boolean ifNotExists = accept("IF", "NOT") && expectThen("EXISTS");
      if (p < end && t.type[p] == Tokens.LPAREN) {
        addColumnList(actions);
        return;
      }
      actions.add(new AlterAction.AddColumn(columnDef(), ifNotExists));
      return;
    }
    if (p < end && t.type[p] == Tokens.LPAREN) {
      addColumnList(actions);
      return;
    }
    if (word("IF") && p + 1 < end && t.isWord(p + 1, "NOT")) {
      p += 2;
      expect("EXISTS");
      actions.add(new AlterAction.AddColumn(columnDef(), true));
      return;
    }
    String name = null;
    if (accept("CONSTRAINT")) {
      if (!(word("PRIMARY") || word("UNIQUE") || word("FOREIGN") || word("CHECK") || word("EXCLUDE"))) {
        name = ident();
      }
    }
    if (word("PRIMARY") || word("FOREIGN") || word("CHECK") || word("EXCLUDE")) {
      actions.add(new AlterAction.AddConstraint(constraint(name)));
      return;
    }
    if (word("UNIQUE")) {
      if (mysql) {
        p++;
        accept("INDEX");
        accept("KEY");
        String idx = p < end && t.type[p] != Tokens.LPAREN && !word("USING") ? ident() : null;
        List<String> cols = p < end && t.type[p] == Tokens.LPAREN ? columnList() : List.of();
        actions.add(new AlterAction.AddConstraint(new TableConstraint(name != null ? name : idx,
            TableConstraint.Kind.UNIQUE, cols, null, null, null, false, false)));
        return;
      }
      actions.add(new AlterAction.AddConstraint(constraint(name)));
      return;
    }
    if (word("INDEX") || word("KEY") || word("FULLTEXT") || word("SPATIAL")) {
      String kind = t.upper(p);
      p++;
      if (!kind.equals("INDEX") && !kind.equals("KEY")) {
        if (!accept("INDEX")) {
          accept("KEY");
        }
      } else {
        kind = "INDEX";
      }
      String idx = p < end && t.type[p] != Tokens.LPAREN && !word("USING") ? ident() : null;
      if (accept("USING")) {
        p++;
      }
      List<String> cols = p < end && t.type[p] == Tokens.LPAREN ? columnList() : List.of();
      actions.add(new AlterAction.AddIndex(idx, kind, cols));
      return;
    }
    if (word("PARTITION")) {
      actions.add(new AlterAction.Option("ADD PARTITION", textFrom(p)));
      return;
    }
    actions.add(new AlterAction.AddColumn(columnDef(), false));
  }

  private boolean expectThen(String kw) {
    expect(kw);
    return true;
  }

  private void addColumnList(List<AlterAction> actions) {
    int close = matching(p);
    int saved = end;
    int k = p + 1;
    while (k < close) {
      int b = nextComma(k, close);
      p = k;
      end = b;
      actions.add(new AlterAction.AddColumn(columnDef(), false));
      k = b + 1;
    }
    end = saved;
    p = close + 1;
  }

  private AlterAction dropAction() {
    if (accept("COLUMN")) {
      boolean ifExists = accept("IF", "EXISTS");
      String col = ident();
      return new AlterAction.DropColumn(col, ifExists, accept("CASCADE"));
    }
    if (accept("CONSTRAINT")) {
      boolean ifExists = accept("IF", "EXISTS");
      String name = ident();
      return new AlterAction.DropConstraint(name, "CONSTRAINT", ifExists, accept("CASCADE"));
    }
    if (accept("PRIMARY", "KEY")) {
      return new AlterAction.DropConstraint(null, "PRIMARY KEY", false, false);
    }
    if (accept("FOREIGN", "KEY")) {
      return new AlterAction.DropConstraint(ident(), "FOREIGN KEY", false, false);
    }
    if (mysql && accept("CHECK")) {
      return new AlterAction.DropConstraint(ident(), "CHECK", false, false);
    }
    if (mysql && (accept("INDEX") || accept("KEY"))) {
      return new AlterAction.DropIndex(ident());
    }
    if (word("PARTITION")) {
      return new AlterAction.Option("DROP PARTITION", textFrom(p));
    }
    if (word("DEFAULT") || word("ROW") || word("IDENTITY")) {
      return new AlterAction.Other("DROP " + textFrom(p));
    }
    boolean ifExists = accept("IF", "EXISTS");
    String col = ident();
    return new AlterAction.DropColumn(col, ifExists, accept("CASCADE"));
  }

  private AlterAction alterColumn(int start) {
    if (word("CONSTRAINT") || word("INDEX") || word("CHECK")) {
      return new AlterAction.Other(textFrom(start));
    }
    accept("COLUMN");
    String col = ident();
    if (accept("TYPE") || (word("SET") && p + 2 < end && t.isWord(p + 1, "DATA") && t.isWord(p + 2, "TYPE") && skip(3))) {
      TypeName type = typeName();
      Expr using = null;
      accept("COLLATE");
      for (int k = p; k < end; k++) {
        if (t.isWord(k, "USING") && k + 1 < end) {
          using = expr(k + 1, end - 1);
          break;
        }
      }
      return new AlterAction.AlterColumnType(col, type, using);
    }
    if (accept("SET")) {
      if (accept("NOT", "NULL")) {
        return new AlterAction.SetNotNull(col);
      }
      if (accept("DEFAULT")) {
        return new AlterAction.SetDefault(col, expr(p, end - 1));
      }
      return new AlterAction.Other(textFrom(start));
    }
    if (accept("DROP")) {
      if (accept("NOT", "NULL")) {
        return new AlterAction.DropNotNull(col);
      }
      if (accept("DEFAULT")) {
        return new AlterAction.DropDefault(col);
      }
    }
    return new AlterAction.Other(textFrom(start));
  }

  private boolean skip(int n) {
    p += n;
    return true;
  }

  private AlterAction renameAction(int start) {
    if (accept("COLUMN")) {
      String from = ident();
      expect("TO");
      return new AlterAction.RenameColumn(from, ident());
    }
    if (word("CONSTRAINT") || word("INDEX") || word("KEY")) {
      return new AlterAction.Other(textFrom(start));
    }
    if (accept("TO") || accept("AS")) {
      return new AlterAction.RenameTo(qname());
    }
    if (p + 1 < end && t.isWord(p + 1, "TO")) {
      String from = ident();
      p++;
      return new AlterAction.RenameColumn(from, ident());
    }
    if (mysql) {
      return new AlterAction.RenameTo(qname());
    }
    return new AlterAction.Other(textFrom(start));
  }

  private Command alterType() {
    Name type = qname();
    if (accept("ADD", "VALUE")) {
      boolean ifNotExists = accept("IF", "NOT") && expectThen("EXISTS");
      return new Command.AlterType(type, Command.TypeAction.ADD_VALUE, stringAt(), null, ifNotExists);
    }
    if (accept("RENAME", "VALUE")) {
      String from = stringAt();
      expect("TO");
      return new Command.AlterType(type, Command.TypeAction.RENAME_VALUE, from, stringAt(), false);
    }
    if (accept("RENAME", "TO")) {
      return new Command.AlterRename("TYPE", type, ident());
    }
    return new Command.AlterType(type, Command.TypeAction.OTHER, null, null, false);
  }

  private String stringAt() {
    if (p >= end || t.type[p] != Tokens.STRING) {
      throw err("expected a string literal");
    }
    return stringValue(p++);
  }

  // CREATE ...

  private Command create() {
    int start = p;
    p++;
    accept("OR", "REPLACE");
    boolean temporary = false;
    boolean unlogged = false;
    // Modifiers before the object type (TEMP, UNLOGGED, DEFINER=..., ALGORITHM=..., SQL SECURITY ...).
    for (int guard = 0; p < end && guard < 12; guard++) {
      if (accept("TEMP") || accept("TEMPORARY")) {
        temporary = true;
      } else if (accept("UNLOGGED")) {
        unlogged = true;
      } else if (accept("GLOBAL") || accept("LOCAL") || accept("RECURSIVE") || accept("AGGREGATE")) {
        // nothing to record
      } else if (mysql && (word("DEFINER") || word("ALGORITHM") || word("SQL"))) {
        skipMysqlCreateOption();
      } else {
        break;
      }
    }
    if (accept("TABLE")) {
      return createTable(temporary, unlogged);
    }
    if (word("UNIQUE") || word("INDEX") || word("FULLTEXT") || word("SPATIAL")) {
      return createIndex();
    }
    if (accept("MATERIALIZED")) {
      expect("VIEW");
      return createView(true, start);
    }
    if (accept("VIEW")) {
      return createView(false, start);
    }
    if (accept("FUNCTION") || accept("PROCEDURE")) {
      String kind = t.upper(p - 1);
      accept("IF", "NOT");
      accept("EXISTS");
      return new Command.CreateRoutine(qname(), kind);
    }
    if (accept("CONSTRAINT")) {
      expect("TRIGGER");
      return createTrigger();
    }
    if (accept("TRIGGER")) {
      return createTrigger();
    }
    if (accept("EVENT")) {
      accept("IF", "NOT");
      accept("EXISTS");
      return new Command.CreateRoutine(qname(), "EVENT");
    }
    if (accept("TYPE")) {
      Name name = qname();
      if (accept("AS") && accept("ENUM")) {
        List<String> values = new ArrayList<>();
        if (p < end && t.type[p] == Tokens.LPAREN) {
          int close = matching(p);
          for (int k = p + 1; k < close; k++) {
            if (t.type[k] == Tokens.STRING) {
              values.add(stringValue(k));
            }
          }
          p = close + 1;
        }
        return new Command.CreateType(name, true, values);
      }
      return new Command.CreateType(name, false, List.of());
    }
    if (accept("DOMAIN")) {
      Name name = qname();
      boolean check = false;
      for (int k = p, depth = 0; k < end; k++) {
        if (t.type[k] == Tokens.LPAREN) {
          depth++;
        } else if (t.type[k] == Tokens.RPAREN) {
          depth--;
        } else if (depth == 0 && t.isWord(k, "CHECK")) {
          check = true;
        }
      }
      return new Command.CreateDomain(name, check);
    }
    p = start;
    return new Command.Other(leadingWords(2));
  }

  private void skipMysqlCreateOption() {
    if (accept("SQL")) {
      accept("SECURITY");
      p++;
      return;
    }
    p++; // DEFINER or ALGORITHM
    if (p < end && t.type[p] == Tokens.OP && t.text(p).equals("=")) {
      p++;
    }
    // user@host, `user`@`host`, CURRENT_USER[()], or an algorithm name: skip to the next option or the object type.
    while (p < end && !(t.type[p] == Tokens.WORD
        && (isObjectWord(t.upper(p)) || word("SQL") || word("DEFINER") || word("ALGORITHM")))) {
      p++;
    }
  }

  private static boolean isObjectWord(String w) {
    return switch (w) {
      case "TABLE", "VIEW", "PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "INDEX", "UNIQUE" -> true;
      default -> false;
    };
  }

  private Command createTable(boolean temporary, boolean unlogged) {
    boolean ifNotExists = accept("IF", "NOT") && expectThen("EXISTS");
    Name name = qname();
    if (accept("PARTITION", "OF")) {
      return new Command.CreateTable(name, temporary, unlogged, ifNotExists, List.of(), List.of(), false, qname());
    }
    List<ColumnDef> columns = new ArrayList<>();
    List<TableConstraint> constraints = new ArrayList<>();
    boolean asQuery = false;
    if (p < end && t.type[p] == Tokens.LPAREN) {
      int close = matching(p);
      int saved = end;
      int k = p + 1;
      while (k < close) {
        int b = nextComma(k, close);
        p = k;
        end = b;
        tableElement(columns, constraints);
        k = b + 1;
      }
      end = saved;
      p = close + 1;
    }
    for (int k = p; k < end; k++) {
      if (t.isWord(k, "AS") || t.isWord(k, "SELECT")) {
        asQuery = true;
        break;
      }
    }
    return new Command.CreateTable(name, temporary, unlogged, ifNotExists, columns, constraints, asQuery, null);
  }

  private void tableElement(List<ColumnDef> columns, List<TableConstraint> constraints) {
    if (p >= end) {
      return;
    }
    if (t.type[p] == Tokens.WORD) {
      String w = t.upper(p);
      switch (w) {
        case "CONSTRAINT" -> {
          p++;
          String name = ident();
          constraints.add(constraint(name));
          return;
        }
        case "PRIMARY", "FOREIGN", "CHECK", "EXCLUDE" -> {
          constraints.add(constraint(null));
          return;
        }
        case "UNIQUE" -> {
          if (mysql) {
            p++;
            accept("INDEX");
            accept("KEY");
            if (p < end && t.type[p] != Tokens.LPAREN) {
              p++;
            }
            List<String> cols = p < end && t.type[p] == Tokens.LPAREN ? columnList() : List.of();
            constraints.add(new TableConstraint(null, TableConstraint.Kind.UNIQUE, cols, null, null, null, false, false));
            return;
          }
          constraints.add(constraint(null));
          return;
        }
        case "LIKE", "INDEX", "KEY", "FULLTEXT", "SPATIAL", "PERIOD" -> {
          return;
        }
        default -> { }
      }
    }
    columns.add(columnDef());
  }

  private TableConstraint constraint(String name) {
    TableConstraint.Kind kind;
    List<String> cols = List.of();
    String usingIndex = null;
    Name references = null;
    Expr check = null;
    if (accept("PRIMARY")) {
      expect("KEY");
      kind = TableConstraint.Kind.PRIMARY_KEY;
      if (accept("USING") && accept("INDEX")) {
        usingIndex = ident();
      } else if (p < end && t.type[p] == Tokens.LPAREN) {
        cols = columnList();
      }
    } else if (accept("UNIQUE")) {
      kind = TableConstraint.Kind.UNIQUE;
      if (accept("NULLS")) {
        accept("NOT");
        accept("DISTINCT");
      }
      if (accept("USING") && accept("INDEX")) {
        usingIndex = ident();
      } else if (p < end && t.type[p] == Tokens.LPAREN) {
        cols = columnList();
      }
    } else if (accept("FOREIGN")) {
      expect("KEY");
      kind = TableConstraint.Kind.FOREIGN_KEY;
      if (p < end && t.type[p] != Tokens.LPAREN) {
        ident(); // MySQL index name
      }
      if (p < end && t.type[p] == Tokens.LPAREN) {
        cols = columnList();
      }
      expect("REFERENCES");
      references = qname();
    } else if (accept("CHECK")) {
      kind = TableConstraint.Kind.CHECK;
      if (p < end && t.type[p] == Tokens.LPAREN) {
        int close = matching(p);
        check = expr(p + 1, close - 1);
        p = close + 1;
      } else {
        throw err("expected ( after CHECK");
      }
    } else if (accept("EXCLUDE")) {
      kind = TableConstraint.Kind.EXCLUDE;
    } else {
      throw err("expected a constraint (PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK, EXCLUDE), found '"
          + (p < end ? t.text(p) : "end of statement") + "'");
    }
    boolean notValid = false;
    boolean notEnforced = false;
    for (int k = p, depth = 0; k < end; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
      } else if (depth == 0 && t.isWord(k, "NOT") && k + 1 < end) {
        if (t.isWord(k + 1, "VALID")) {
          notValid = true;
        } else if (t.isWord(k + 1, "ENFORCED")) {
          notEnforced = true;
        }
      }
    }
    p = end;
    return new TableConstraint(name, kind, cols, usingIndex, references, check, notValid, notEnforced);
  }

  /** {@code (a, b DESC, lower(c))}: single identifiers normalized, expressions as text. */
  private List<String> columnList() {
    int close = matching(p);
    List<String> cols = new ArrayList<>();
    int k = p + 1;
    while (k < close) {
      int b = nextComma(k, close);
      if (b > k) {
        if ((t.type[k] == Tokens.WORD || t.type[k] == Tokens.QIDENT)
            && (b == k + 1 || t.type[k + 1] == Tokens.WORD || t.type[k + 1] == Tokens.LPAREN && mysql)) {
          cols.add(identAt(k));
        } else {
          cols.add(t.src.substring(t.start[k], t.end[b - 1]));
        }
      }
      k = b + 1;
    }
    p = close + 1;
    return cols;
  }

  private ColumnDef columnDef() {
    String name = ident();
    TypeName type = null;
    if (p < end && (t.type[p] == Tokens.QIDENT || t.type[p] == Tokens.WORD && !isNotAType(p))) {
      type = typeName();
    }
    Boolean nullable = null;
    Expr dflt = null;
    boolean pk = false;
    boolean unique = false;
    Name refs = null;
    Expr check = null;
    ColumnDef.Generated generated = ColumnDef.Generated.NONE;
    boolean autoIncrement = false;
    String position = null;
    while (p < end) {
      String w = t.keyword(p);
      p++;
      if (w == null) {
        continue;
      }
      switch (w) {
        case "NOT" -> {
          if (accept("NULL")) {
            nullable = false;
          }
        }
        case "NULL" -> nullable = true;
        case "DEFAULT" -> {
          int a = p;
          int k = p;
          int depth = 0;
          while (k < end) {
            byte y = t.type[k];
            if (y == Tokens.LPAREN) {
              depth++;
            } else if (y == Tokens.RPAREN) {
              depth--;
            } else if (depth == 0 && k > a && y == Tokens.WORD && isColumnClause(k)
                && !(t.isWord(k, "NULL") && k > a && t.isWord(k - 1, "IS"))) {
              break;
            }
            k++;
          }
          if (k == a) {
            throw err("expected an expression after DEFAULT");
          }
          dflt = expr(a, k - 1);
          p = k;
        }
        case "CONSTRAINT" -> {
          if (p < end) {
            p++;
          }
        }
        case "PRIMARY" -> {
          accept("KEY");
          pk = true;
          nullable = false;
        }
        case "UNIQUE" -> {
          accept("KEY");
          unique = true;
        }
        case "KEY" -> pk = mysql || pk;
        case "REFERENCES" -> {
          refs = qname();
          if (p < end && t.type[p] == Tokens.LPAREN) {
            skipParens();
          }
        }
        case "CHECK" -> {
          if (p < end && t.type[p] == Tokens.LPAREN) {
            int close = matching(p);
            check = expr(p + 1, close - 1);
            p = close + 1;
          }
        }
        case "GENERATED" -> {
          if (!accept("ALWAYS")) {
            accept("BY");
            accept("DEFAULT");
          }
          expect("AS");
          if (accept("IDENTITY")) {
            generated = ColumnDef.Generated.IDENTITY;
            nullable = false;
            if (p < end && t.type[p] == Tokens.LPAREN) {
              skipParens();
            }
          } else {
            generated = generatedKind();
          }
        }
        case "AS" -> generated = generatedKind();
        case "AUTO_INCREMENT", "AUTOINCREMENT" -> autoIncrement = true;
        case "FIRST" -> position = "FIRST";
        case "AFTER" -> position = "AFTER " + (p < end ? identAt(p++) : "");
        case "COLLATE", "COMMENT", "COLUMN_FORMAT", "STORAGE", "COMPRESSION", "SRID", "CHARSET" -> {
          if (p < end && t.type[p] == Tokens.OP && t.text(p).equals("=")) {
            p++;
          }
          if (p < end) {
            p++;
          }
        }
        case "CHARACTER" -> {
          accept("SET");
          if (p < end) {
            p++;
          }
        }
        case "ON" -> {
          // MySQL ON UPDATE CURRENT_TIMESTAMP[(n)]
          accept("UPDATE");
          if (p < end) {
            p++;
          }
          if (p < end && t.type[p] == Tokens.LPAREN) {
            skipParens();
          }
        }
        default -> { }
      }
    }
    return new ColumnDef(name, type, nullable, dflt, pk, unique, refs, check, generated, autoIncrement, position);
  }

  private ColumnDef.Generated generatedKind() {
    if (p < end && t.type[p] == Tokens.LPAREN) {
      skipParens();
    }
    if (accept("STORED") || accept("PERSISTENT")) {
      return ColumnDef.Generated.STORED;
    }
    accept("VIRTUAL");
    // PostgreSQL < 18 has only STORED, and 18 defaults to VIRTUAL; MySQL defaults to VIRTUAL.
    return ColumnDef.Generated.VIRTUAL;
  }

  private TypeName typeName() {
    int a = p;
    if (p >= end || !(t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT)) {
      throw err("expected a type");
    }
    String first = identAt(p);
    p++;
    while (p + 1 < end && t.type[p] == Tokens.DOT && (t.type[p + 1] == Tokens.WORD || t.type[p + 1] == Tokens.QIDENT)) {
      first = identAt(p + 1);
      p += 2;
    }
    String lower = first.toLowerCase(Locale.ROOT);
    String words = lower;
    List<String> args = List.of();
    switch (lower) {
      case "double" -> {
        if (accept("PRECISION")) {
          words = "double precision";
        }
      }
      case "character", "char", "national", "nchar", "bit" -> {
        if (lower.equals("national")) {
          if (accept("CHARACTER") || accept("CHAR")) {
            words = "character";
          }
        }
        if (accept("VARYING")) {
          words = (lower.equals("bit") ? "bit" : "character") + " varying";
        }
      }
      case "timestamp", "time" -> {
        if (p < end && t.type[p] == Tokens.LPAREN) {
          args = modifiers();
        }
        if (accept("WITH") && accept("TIME") && accept("ZONE")) {
          words = lower + " with time zone";
        } else if (accept("WITHOUT") && accept("TIME") && accept("ZONE")) {
          words = lower;
        }
      }
      case "interval" -> {
        while (p < end && t.type[p] == Tokens.WORD && Set.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO")
            .contains(t.upper(p))) {
          p++;
        }
      }
      default -> { }
    }
    if (args.isEmpty() && p < end && t.type[p] == Tokens.LPAREN) {
      args = modifiers();
    }
    if (mysql) {
      while (accept("UNSIGNED") || accept("SIGNED") || accept("ZEROFILL") || accept("BINARY")) {
        // attributes of the numeric/string type
      }
    }
    int dims = 0;
    while (p < end && (t.type[p] == Tokens.LBRACKET || t.isWord(p, "ARRAY"))) {
      if (t.type[p] == Tokens.LBRACKET) {
        while (p < end && t.type[p] != Tokens.RBRACKET) {
          p++;
        }
      } else if (p + 1 < end && t.type[p + 1] == Tokens.LBRACKET) {
        p++;
        while (p < end && t.type[p] != Tokens.RBRACKET) {
          p++;
        }
      }
      p++;
      dims++;
    }
    String text = t.src.substring(t.start[a], t.end[p - 1]);
    return new TypeName(TypeName.canonical(words), args, dims, text);
  }

  private List<String> modifiers() {
    int close = matching(p);
    List<String> args = new ArrayList<>();
    int k = p + 1;
    while (k < close) {
      int b = nextComma(k, close);
      if (b > k) {
        args.add(t.src.substring(t.start[k], t.end[b - 1]));
      }
      k = b + 1;
    }
    p = close + 1;
    return args;
  }

  private Command createIndex() {
    String kind = "INDEX";
    if (accept("UNIQUE")) {
      kind = "UNIQUE";
    } else if (accept("FULLTEXT")) {
      kind = "FULLTEXT";
    } else if (accept("SPATIAL")) {
      kind = "SPATIAL";
    }
    expect("INDEX");
    boolean concurrently = accept("CONCURRENTLY");
    boolean ifNotExists = accept("IF", "NOT") && expectThen("EXISTS");
    Name name = null;
    if (!word("ON")) {
      name = qname();
    }
    if (accept("USING")) {
      p++;
    }
    expect("ON");
    accept("ONLY");
    Name table = qname();
    String method = null;
    if (accept("USING")) {
      method = p < end ? t.text(p++).toLowerCase(Locale.ROOT) : null;
    }
    List<String> cols = p < end && t.type[p] == Tokens.LPAREN ? columnList() : List.of();
    boolean partial = false;
    String algorithm = null;
    String lock = null;
    for (int k = p, depth = 0; k < end; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
      } else if (depth == 0 && t.isWord(k, "WHERE")) {
        partial = true;
      } else if (depth == 0 && mysql && (t.isWord(k, "ALGORITHM") || t.isWord(k, "LOCK"))) {
        int v = k + 1 < end && t.type[k + 1] == Tokens.OP ? k + 2 : k + 1;
        if (v < end) {
          String value = t.upper(v);
          if (t.isWord(k, "ALGORITHM")) {
            algorithm = value;
          } else {
            lock = value;
          }
        }
      }
    }
    return new Command.CreateIndex(name, table, kind, concurrently, ifNotExists, method, cols, partial, algorithm, lock);
  }

  private Command createView(boolean materialized, int start) {
    boolean orReplace = start + 2 < end && t.isWord(start + 1, "OR") && t.isWord(start + 2, "REPLACE");
    accept("IF", "NOT");
    accept("EXISTS");
    Name name = qname();
    boolean noData = false;
    for (int k = p; k + 2 < end; k++) {
      if (t.isWord(k, "WITH") && t.isWord(k + 1, "NO") && t.isWord(k + 2, "DATA")) {
        noData = true;
      }
    }
    return new Command.CreateView(name, materialized, orReplace, noData);
  }

  private Command createTrigger() {
    Name name = qname();
    for (int k = p, depth = 0; k < end; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
      } else if (depth == 0 && t.isWord(k, "ON")) {
        p = k + 1;
        return new Command.CreateTrigger(name, qname());
      }
    }
    throw err("CREATE TRIGGER " + name + ": expected ON table");
  }

  // DROP, RENAME

  private Command drop() {
    p++;
    boolean temporary = accept("TEMPORARY") || accept("TEMP");
    String type;
    if (accept("MATERIALIZED")) {
      expect("VIEW");
      type = "MATERIALIZED VIEW";
    } else if (accept("FOREIGN")) {
      expect("TABLE");
      type = "FOREIGN TABLE";
    } else if (p < end && t.type[p] == Tokens.WORD) {
      type = t.upper(p);
      p++;
    } else {
      throw err("expected an object type after DROP");
    }
    if (type.equals("INDEX")) {
      boolean concurrently = accept("CONCURRENTLY");
      boolean ifExists = accept("IF", "EXISTS");
      List<Name> names = nameList();
      Name table = null;
      String algorithm = null;
      String lock = null;
      if (accept("ON")) {
        table = qname();
      }
      boolean cascade = false;
      for (int k = p; k < end; k++) {
        if (t.isWord(k, "CASCADE")) {
          cascade = true;
        } else if (t.isWord(k, "ALGORITHM") || t.isWord(k, "LOCK")) {
          int v = k + 1 < end && t.type[k + 1] == Tokens.OP ? k + 2 : k + 1;
          if (v < end) {
            if (t.isWord(k, "ALGORITHM")) {
              algorithm = t.upper(v);
            } else {
              lock = t.upper(v);
            }
          }
        }
      }
      return new Command.DropIndex(names, table, concurrently, ifExists, cascade, algorithm, lock);
    }
    if (type.equals("TRIGGER") || type.equals("POLICY") || type.equals("RULE")) {
      return new Command.Other("DROP " + type);
    }
    boolean ifExists = accept("IF", "EXISTS");
    List<Name> names = switch (type) {
      case "TABLE", "VIEW", "MATERIALIZED VIEW", "SCHEMA", "DATABASE", "TYPE", "DOMAIN", "SEQUENCE", "FUNCTION",
          "PROCEDURE", "FOREIGN TABLE", "EXTENSION" -> nameList();
      default -> List.of();
    };
    boolean cascade = false;
    for (int k = p; k < end; k++) {
      if (t.isWord(k, "CASCADE")) {
        cascade = true;
      }
    }
    if (names.isEmpty()) {
      return new Command.Other("DROP " + type);
    }
    return new Command.Drop(type, names, ifExists, cascade, temporary);
  }

  private List<Name> nameList() {
    List<Name> names = new ArrayList<>();
    while (p < end && (t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT)) {
      if (t.type[p] == Tokens.WORD && (t.isWord(p, "CASCADE") || t.isWord(p, "RESTRICT") || t.isWord(p, "ON")
          || t.isWord(p, "ALGORITHM") || t.isWord(p, "LOCK"))) {
        break;
      }
      names.add(qname());
      if (p < end && t.type[p] == Tokens.LPAREN) {
        skipParens();
      }
      if (p < end && t.type[p] == Tokens.COMMA) {
        p++;
      } else {
        break;
      }
    }
    return names;
  }

  private Command renameTables() {
    p++;
    if (!accept("TABLE")) {
      accept("TABLES");
    }
    List<Command.Rename> renames = new ArrayList<>();
    while (p < end) {
      Name from = qname();
      expect("TO");
      renames.add(new Command.Rename(from, qname()));
      if (p < end && t.type[p] == Tokens.COMMA) {
        p++;
      } else {
        break;
      }
    }
    if (renames.isEmpty()) {
      throw err("RENAME TABLE: expected a TO b");
    }
    return new Command.RenameTables(renames);
  }

  // DML

  private Command update(boolean cteLimit) {
    p++;
    while (accept("LOW_PRIORITY") || accept("IGNORE") || accept("ONLY")) {
      // modifiers
    }
    Name table = qname();
    int set = findTop("SET", p);
    if (set < 0) {
      throw err("UPDATE " + table + ": expected SET");
    }
    List<String> columns = new ArrayList<>();
    int where = findTop("WHERE", set);
    int tail = firstTop(set, "FROM", "WHERE", "RETURNING", "ORDER", "LIMIT");
    int k = set + 1;
    while (k < tail) {
      int b = nextComma(k, tail);
      if (t.type[k] == Tokens.WORD || t.type[k] == Tokens.QIDENT) {
        int last = k;
        while (last + 2 < b && t.type[last + 1] == Tokens.DOT) {
          last += 2;
        }
        columns.add(identAt(last));
      }
      k = b + 1;
    }
    return new Command.Update(table, columns, whereExpr(where), filter(where, cteLimit));
  }

  private Command delete(boolean cteLimit) {
    p++;
    while (accept("LOW_PRIORITY") || accept("QUICK") || accept("IGNORE")) {
      // modifiers
    }
    if (!accept("FROM")) {
      int from = findTop("FROM", p);
      if (from < 0) {
        throw err("DELETE: expected FROM");
      }
      p = from + 1;
    }
    accept("ONLY");
    Name table = qname();
    int where = findTop("WHERE", p);
    return new Command.Delete(table, whereExpr(where), filter(where, cteLimit));
  }

  private Expr whereExpr(int where) {
    if (where < 0 || where + 1 >= end) {
      return null;
    }
    int stop = firstTop(where + 1, "RETURNING", "ORDER", "LIMIT");
    return stop - 1 >= where + 1 ? expr(where + 1, stop - 1) : null;
  }

  /** Classifies a WHERE clause (see {@link RowFilter}); {@code where} is the index of WHERE or -1. */
  private RowFilter filter(int where, boolean cteLimit) {
    boolean limit = cteLimit;
    for (int k = Math.max(where, p); k < end; k++) {
      if (t.isWord(k, "LIMIT") || t.isWord(k, "FETCH") && k + 1 < end && t.isWord(k + 1, "FIRST")) {
        limit = true;
      }
    }
    if (limit) {
      return RowFilter.LIMIT;
    }
    if (where < 0) {
      return RowFilter.NONE;
    }
    Map<String, Integer> bounds = new LinkedHashMap<>();
    boolean key = false;
    for (int k = where + 1; k < end; k++) {
      if (t.isWord(k, "BETWEEN")) {
        return RowFilter.RANGE;
      }
      if (!(t.type[k] == Tokens.WORD || t.type[k] == Tokens.QIDENT) || k + 1 >= end) {
        continue;
      }
      String col = identAt(k);
      if (k + 1 < end && t.type[k + 1] == Tokens.DOT) {
        continue;
      }
      int op = k + 1;
      if (t.type[op] == Tokens.OP) {
        String o = t.text(op);
        boolean constant = op + 1 < end && isConstant(op + 1);
        if (o.equals("=") && constant && isKeyLike(col)) {
          key = true;
        } else if ((o.equals("<") || o.equals("<=")) && constant) {
          bounds.merge(col, 1, (x, y) -> x | y);
        } else if ((o.equals(">") || o.equals(">=")) && constant) {
          bounds.merge(col, 2, (x, y) -> x | y);
        }
      } else if (t.isWord(op, "IN") && op + 1 < end && t.type[op + 1] == Tokens.LPAREN && isKeyLike(col)) {
        int close = matching(op + 1);
        boolean allConstant = true;
        for (int j = op + 2; j < close; j++) {
          if (t.type[j] != Tokens.COMMA && !isConstant(j)) {
            allConstant = false;
            break;
          }
        }
        key |= allConstant;
      }
    }
    if (bounds.containsValue(3)) {
      return RowFilter.RANGE;
    }
    return key ? RowFilter.KEY : RowFilter.OTHER;
  }

  private boolean isConstant(int k) {
    byte y = t.type[k];
    return y == Tokens.NUMBER || y == Tokens.STRING || y == Tokens.PARAM
        || (y == Tokens.OP && t.text(k).equals("-") && k + 1 < end && t.type[k + 1] == Tokens.NUMBER);
  }

  private static boolean isKeyLike(String col) {
    String c = col.toLowerCase(Locale.ROOT);
    return c.equals("id") || c.equals("uuid") || c.equals("pk") || c.endsWith("_id") || c.endsWith("_uuid");
  }

  private Command insert() {
    p++;
    while (accept("LOW_PRIORITY") || accept("DELAYED") || accept("HIGH_PRIORITY") || accept("IGNORE")) {
      // modifiers
    }
    accept("INTO");
    Name table = qname();
    if (accept("AS")) {
      p++;
    }
    List<String> cols = List.of();
    if (p < end && t.type[p] == Tokens.LPAREN) {
      int close = matching(p);
      boolean isSelect = p + 1 < end && (t.isWord(p + 1, "SELECT") || t.isWord(p + 1, "WITH"));
      if (!isSelect) {
        cols = columnList();
      } else {
        p = close + 1;
      }
    }
    boolean fromQuery = word("SELECT") || word("WITH") || word("TABLE") || (p < end && t.type[p] == Tokens.LPAREN);
    Expr body = p < end ? expr(p, end - 1) : null;
    return new Command.Insert(table, cols, fromQuery, body);
  }

  private Command truncate() {
    p++;
    accept("TABLE");
    accept("ONLY");
    List<Name> names = new ArrayList<>();
    while (p < end && (t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT) && !word("RESTART") && !word("CONTINUE")
        && !word("CASCADE") && !word("RESTRICT")) {
      names.add(qname());
      if (p < end && t.type[p] == Tokens.OP && t.text(p).equals("*")) {
        p++;
      }
      if (p < end && t.type[p] == Tokens.COMMA) {
        p++;
        accept("ONLY");
      } else {
        break;
      }
    }
    if (names.isEmpty()) {
      throw err("TRUNCATE: expected a table");
    }
    boolean cascade = false;
    for (int k = p; k < end; k++) {
      cascade |= t.isWord(k, "CASCADE");
    }
    return new Command.Truncate(names, cascade);
  }

  private Command lock() {
    p++;
    boolean tables = accept("TABLES");
    if (!tables) {
      accept("TABLE");
    }
    if (mysql && (word("INSTANCE"))) {
      return new Command.Other("LOCK INSTANCE");
    }
    accept("ONLY");
    List<Name> names = new ArrayList<>();
    String mode = null;
    while (p < end && (t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT) && !word("IN")) {
      names.add(qname());
      if (mysql) {
        if (accept("AS")) {
          p++;
        }
        StringBuilder m = new StringBuilder();
        while (p < end && t.type[p] == Tokens.WORD) {
          m.append(m.length() == 0 ? "" : " ").append(t.upper(p++));
        }
        if (mode == null && m.length() > 0) {
          mode = m.toString();
        }
      }
      if (p < end && t.type[p] == Tokens.OP && t.text(p).equals("*")) {
        p++;
      }
      if (p < end && t.type[p] == Tokens.COMMA) {
        p++;
      } else {
        break;
      }
    }
    if (!mysql && accept("IN")) {
      StringBuilder m = new StringBuilder();
      while (p < end && !word("MODE")) {
        m.append(m.length() == 0 ? "" : " ").append(t.upper(p++));
      }
      mode = m.toString();
    }
    if (names.isEmpty()) {
      throw err("LOCK: expected a table");
    }
    return new Command.LockTables(names, mode);
  }

  // maintenance

  private Command reindex() {
    p++;
    boolean concurrently = false;
    if (p < end && t.type[p] == Tokens.LPAREN) {
      int close = matching(p);
      for (int k = p; k < close; k++) {
        if (t.isWord(k, "CONCURRENTLY") && !(k + 1 < close && (t.isWord(k + 1, "FALSE") || t.isWord(k + 1, "OFF")))) {
          concurrently = true;
        }
      }
      p = close + 1;
    }
    accept("VERBOSE");
    if (p >= end || t.type[p] != Tokens.WORD) {
      throw err("REINDEX: expected INDEX, TABLE, SCHEMA, DATABASE or SYSTEM");
    }
    String target = t.upper(p++);
    concurrently |= accept("CONCURRENTLY");
    Name name = p < end && (t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT) ? qname() : null;
    return new Command.Reindex(target, name, concurrently);
  }

  private Command vacuum() {
    p++;
    boolean full = false;
    if (p < end && t.type[p] == Tokens.LPAREN) {
      int close = matching(p);
      for (int k = p; k < close; k++) {
        if (t.isWord(k, "FULL") && !(k + 1 < close && (t.isWord(k + 1, "FALSE") || t.isWord(k + 1, "OFF")))) {
          full = true;
        }
      }
      p = close + 1;
    }
    while (word("FULL") || word("FREEZE") || word("VERBOSE") || word("ANALYZE") || word("ANALYSE")) {
      full |= word("FULL");
      p++;
    }
    List<Name> tables = new ArrayList<>();
    while (p < end && (t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT)) {
      tables.add(qname());
      if (p < end && t.type[p] == Tokens.LPAREN) {
        skipParens();
      }
      if (p < end && t.type[p] == Tokens.COMMA) {
        p++;
      } else {
        break;
      }
    }
    return new Command.Vacuum(full, tables);
  }

  private Command cluster() {
    p++;
    if (p < end && t.type[p] == Tokens.LPAREN) {
      skipParens();
    }
    accept("VERBOSE");
    if (p >= end) {
      return new Command.Cluster(null);
    }
    Name first = qname();
    if (accept("ON")) {
      return new Command.Cluster(qname()); // CLUSTER index ON table (pre-8.3 form)
    }
    return new Command.Cluster(first);
  }

  private Command refresh() {
    p++;
    expect("MATERIALIZED");
    expect("VIEW");
    boolean concurrently = accept("CONCURRENTLY");
    Name view = qname();
    boolean noData = accept("WITH") && accept("NO");
    return new Command.RefreshMaterializedView(view, concurrently, noData);
  }

  // settings and queries

  private Command set() {
    p++;
    String scope = "SESSION";
    if (accept("LOCAL")) {
      scope = mysql ? "SESSION" : "LOCAL";
    } else if (accept("SESSION")) {
      if (word("CHARACTERISTICS") || word("AUTHORIZATION")) {
        return new Command.Other("SET SESSION");
      }
    } else if (accept("GLOBAL") || accept("PERSIST") || accept("PERSIST_ONLY")) {
      scope = "GLOBAL";
    }
    if (word("CONSTRAINTS") || word("TRANSACTION") || word("ROLE")) {
      return new Command.Other("SET " + t.upper(p));
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (accept("TIME", "ZONE")) {
      values.put("timezone", p < end ? valueText(p) : "");
      return new Command.SetVariable(scope, values);
    }
    while (p < end) {
      int b = nextComma(p, end);
      String name;
      if (t.type[p] == Tokens.OP && t.text(p).startsWith("@@")) {
        p++;
        if (p + 1 < b && t.type[p + 1] == Tokens.DOT) {
          String s = t.upper(p);
          scope = s.equals("GLOBAL") || s.equals("PERSIST") ? "GLOBAL" : "SESSION";
          p += 2;
        }
        name = p < b ? t.text(p).toLowerCase(Locale.ROOT) : "";
        p++;
      } else if (t.type[p] == Tokens.OP && t.text(p).equals("@")) {
        name = "@" + (p + 1 < b ? t.text(p + 1).toLowerCase(Locale.ROOT) : "");
        p += 2;
      } else if (t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT) {
        name = identAt(p).toLowerCase(Locale.ROOT);
        p++;
        while (p + 1 < b && t.type[p] == Tokens.DOT) {
          name = name + "." + identAt(p + 1).toLowerCase(Locale.ROOT);
          p += 2;
        }
      } else {
        throw err("SET: expected a name");
      }
      if (p < b && (t.type[p] == Tokens.OP && (t.text(p).equals("=") || t.text(p).equals(":=")) || t.isWord(p, "TO"))) {
        p++;
      }
      String value = p < b ? (b == p + 1 ? valueText(p) : t.src.substring(t.start[p], t.end[b - 1])) : "";
      values.put(name, value);
      p = b + 1;
      if (!mysql) {
        break;
      }
    }
    return new Command.SetVariable(scope, values);
  }

  private Command select() {
    // SELECT [pg_catalog.]set_config('lock_timeout', '2s', false): how pg_dump and many migrations set options.
    for (int k = p + 1; k + 6 < end; k++) {
      if (t.type[k] == Tokens.WORD && t.text(k).equalsIgnoreCase("set_config") && t.type[k + 1] == Tokens.LPAREN
          && t.type[k + 2] == Tokens.STRING && t.type[k + 3] == Tokens.COMMA && t.type[k + 4] == Tokens.STRING
          && t.type[k + 5] == Tokens.COMMA) {
        boolean local = t.isWord(k + 6, "TRUE") || t.isWord(k + 6, "ON");
        Map<String, String> values = new LinkedHashMap<>();
        values.put(stringValue(k + 2).toLowerCase(Locale.ROOT), stringValue(k + 4));
        return new Command.SetVariable(local ? "LOCAL" : "SESSION", values);
      }
    }
    return new Command.Other("SELECT");
  }

  private Command with() {
    p++;
    accept("RECURSIVE");
    boolean cteLimit = false;
    while (p < end) {
      if (t.type[p] == Tokens.LPAREN) {
        int close = matching(p);
        for (int k = p; k < close; k++) {
          cteLimit |= t.isWord(k, "LIMIT");
        }
        p = close + 1;
        continue;
      }
      if (word("SELECT") || word("UPDATE") || word("DELETE") || word("INSERT") || word("MERGE")) {
        break;
      }
      p++;
    }
    if (word("UPDATE")) {
      return update(cteLimit);
    }
    if (word("DELETE")) {
      return delete(cteLimit);
    }
    if (word("INSERT")) {
      return insert();
    }
    return new Command.Other("SELECT");
  }

  // ---------------------------------------------------------------- helpers

  private boolean word(String kw) {
    return p < end && t.isWord(p, kw);
  }

  private boolean accept(String kw) {
    if (word(kw)) {
      p++;
      return true;
    }
    return false;
  }

  private boolean accept(String k1, String k2) {
    if (p + 1 < end && t.isWord(p, k1) && t.isWord(p + 1, k2)) {
      p += 2;
      return true;
    }
    return false;
  }

  private void expect(String kw) {
    if (!accept(kw)) {
      throw err("expected " + kw + ", found " + (p < end ? "'" + t.text(p) + "'" : "end of statement"));
    }
  }

  private ParseError err(String message) {
    return new ParseError(message);
  }

  private String ident() {
    if (p >= end || !(t.type[p] == Tokens.WORD || t.type[p] == Tokens.QIDENT || (mysql && t.type[p] == Tokens.STRING))) {
      throw err("expected a name, found " + (p < end ? "'" + t.text(p) + "'" : "end of statement"));
    }
    return identAt(p++);
  }

  private String identAt(int k) {
    String raw = t.text(k);
    if (t.type[k] == Tokens.WORD) {
      return raw.toLowerCase(Locale.ROOT);
    }
    if (t.type[k] == Tokens.STRING) {
      return stringValue(k).toLowerCase(Locale.ROOT);
    }
    if (t.type[k] != Tokens.QIDENT) {
      return raw;
    }
    int open = raw.indexOf(raw.charAt(raw.length() - 1));
    String q = String.valueOf(raw.charAt(raw.length() - 1));
    String inner = raw.substring(open + 1, raw.length() - 1).replace(q + q, q);
    return mysql ? inner.toLowerCase(Locale.ROOT) : inner;
  }

  private Name qname() {
    String a = ident();
    if (p + 1 < end && t.type[p] == Tokens.DOT && (t.type[p + 1] == Tokens.WORD || t.type[p + 1] == Tokens.QIDENT)) {
      p++;
      String b = ident();
      if (p + 1 < end && t.type[p] == Tokens.DOT && (t.type[p + 1] == Tokens.WORD || t.type[p + 1] == Tokens.QIDENT)) {
        p++;
        return new Name(b, ident());
      }
      return new Name(a, b);
    }
    return new Name(null, a);
  }

  private int matching(int lp) {
    int depth = 0;
    for (int k = lp; k < end; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
        if (depth == 0) {
          return k;
        }
      }
    }
    throw err("unbalanced parentheses");
  }

  private void skipParens() {
    p = matching(p) + 1;
  }

  private int findTop(String kw, int from) {
    int depth = 0;
    for (int k = from; k < end; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
      } else if (depth == 0 && t.isWord(k, kw)) {
        return k;
      }
    }
    return -1;
  }

  private int firstTop(int from, String... kws) {
    int depth = 0;
    for (int k = from; k < end; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
      } else if (depth == 0 && t.type[k] == Tokens.WORD) {
        for (String kw : kws) {
          if (t.isWord(k, kw)) {
            return k;
          }
        }
      }
    }
    return end;
  }

  private String textFrom(int k) {
    return k < end ? t.src.substring(t.start[k], t.end[end - 1]) : "";
  }

  private Expr expr(int a, int b) {
    if (b < a) {
      throw err("expected an expression");
    }
    List<String> functions = List.of();
    List<String> strings = List.of();
    for (int k = a; k <= b; k++) {
      byte y = t.type[k];
      if ((y == Tokens.WORD || y == Tokens.QIDENT) && k + 1 <= b && t.type[k + 1] == Tokens.LPAREN) {
        if (functions.isEmpty()) {
          functions = new ArrayList<>(2);
        }
        functions.add(identAt(k).toLowerCase(Locale.ROOT));
      } else if (y == Tokens.STRING) {
        if (strings.isEmpty()) {
          strings = new ArrayList<>(1);
        }
        strings.add(stringValue(k));
      }
    }
    boolean parenthesized = t.type[a] == Tokens.LPAREN && matchingWithin(a, b) == b;
    int x = a;
    int y = b;
    while (x < y && t.type[x] == Tokens.LPAREN && matchingWithin(x, y) == y) {
      x++;
      y--;
    }
    if (x <= y && t.type[x] == Tokens.OP && (t.text(x).equals("-") || t.text(x).equals("+"))) {
      x++;
    }
    boolean literal = false;
    if (x <= y) {
      byte first = t.type[x];
      int afterValue;
      if (first == Tokens.NUMBER || first == Tokens.STRING || (first == Tokens.WORD && (t.isWord(x, "NULL")
          || t.isWord(x, "TRUE") || t.isWord(x, "FALSE")))) {
        afterValue = x + 1;
      } else if (first == Tokens.WORD && x + 1 <= y && t.type[x + 1] == Tokens.STRING) {
        afterValue = x + 2; // typed literal: DATE '2020-01-01', INTERVAL '1 day'
      } else {
        afterValue = -1;
      }
      if (afterValue > 0) {
        literal = afterValue > y || (t.type[afterValue] == Tokens.OP && t.text(afterValue).equals("::") && onlyTypeAfter(afterValue + 1, y));
      }
    }
    return new Expr(t.src.substring(t.start[a], t.end[b]), functions, strings, literal, parenthesized);
  }

  private boolean onlyTypeAfter(int from, int to) {
    for (int k = from; k <= to; k++) {
      byte y = t.type[k];
      if (!(y == Tokens.WORD || y == Tokens.QIDENT || y == Tokens.DOT || y == Tokens.LBRACKET || y == Tokens.RBRACKET
          || y == Tokens.LPAREN || y == Tokens.RPAREN || y == Tokens.NUMBER || y == Tokens.COMMA)) {
        return false;
      }
    }
    return true;
  }

  private int matchingWithin(int lp, int limit) {
    int depth = 0;
    for (int k = lp; k <= limit; k++) {
      if (t.type[k] == Tokens.LPAREN) {
        depth++;
      } else if (t.type[k] == Tokens.RPAREN) {
        depth--;
        if (depth == 0) {
          return k;
        }
      }
    }
    return -1;
  }

  /** The value of a string token: prefix and quotes removed, doubled quotes and (where they apply) backslashes undone. */
  String stringValue(int k) {
    String raw = t.text(k);
    int open = 0;
    boolean escapes = mysql;
    while (open < raw.length() && raw.charAt(open) != '\'' && raw.charAt(open) != '"') {
      char c = raw.charAt(open);
      if (c == 'e' || c == 'E') {
        escapes = true;
      }
      open++;
    }
    if (open >= raw.length()) {
      return raw;
    }
    char q = raw.charAt(open);
    int close = raw.length() - 1;
    if (close <= open || raw.charAt(close) != q) {
      close = raw.length();
    }
    String inner = raw.substring(open + 1, Math.max(open + 1, close));
    if (inner.indexOf(q) < 0 && (!escapes || inner.indexOf('\\') < 0)) {
      return inner;
    }
    StringBuilder b = new StringBuilder(inner.length());
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == q && i + 1 < inner.length() && inner.charAt(i + 1) == q) {
        b.append(q);
        i++;
      } else if (c == '\\' && escapes && i + 1 < inner.length()) {
        char n = inner.charAt(++i);
        b.append(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case '0' -> '\0';
          default -> n;
        });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "SqlParser[" + dialect + "]";
  }
}
