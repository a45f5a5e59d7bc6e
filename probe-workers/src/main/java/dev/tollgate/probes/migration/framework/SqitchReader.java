package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.DialectDetector;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.SqlScript;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sqitch deploy scripts ({@code deploy/<change>.sql} of a project with a {@code sqitch.plan}): sqitch runs each
 * script as it is, through the database's client, so the script's own {@code BEGIN ... COMMIT} (what
 * {@code sqitch add} writes) is its transaction and anything outside it commits statement by statement. Changes are
 * ordered as the plan lists them; the way back is {@code revert/<change>.sql}. docs/rules/migration/sqitch.md.
 */
public final class SqitchReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|.*/)deploy/([^/]+)\\.sql");
  private static final Pattern HEADER = Pattern.compile("(?im)^\\s*--\\s*Deploy\\s+\\S+\\s+to\\s+(\\w+)");

  @Override
  public Framework framework() {
    return Framework.SQITCH;
  }

  @Override
  public boolean claims(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public boolean confirms(String path, String text) {
    return HEADER.matcher(text.length() > 4000 ? text.substring(0, 4000) : text).find();
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".sql") && confirms(path, text);
  }

  @Override
  public Migration read(MigrationSource source) {
    Matcher pm = PATH.matcher(source.path());
    if (!pm.matches()) {
      return null;
    }
    String project = pm.group(1) == null ? "" : pm.group(1);
    String change = pm.group(2);
    String plan = source.files().read(project + "sqitch.plan").orElse(null);
    Matcher header = HEADER.matcher(source.text());
    if (plan == null && !header.find(0)) {
      return null;
    }
    Dialect dialect = Dialects.of(source, () -> dialect(source, project, header));
    MigrationBuilder b = new MigrationBuilder(source, Framework.SQITCH, order(plan, change), dialect);
    // The script's own BEGIN ... COMMIT is its transaction; statements outside one commit one by one. The file is
    // read in line ranges between those markers (the builder itself drops BEGIN/COMMIT), so lines stay the file's.
    String text = source.text();
    int[] lineStart = lineStarts(text);
    SqlScript script = SqlScript.parse(text, dialect);
    boolean inTx = false;
    int segmentLine = 1;
    b.unit("sqitch runs this script as written: statements outside BEGIN ... COMMIT commit one by one", 1, false);
    for (Statement s : script.statements()) {
      if (!(s.command() instanceof Command.Transaction t)) {
        continue;
      }
      boolean begin = t.op() == Command.TxOp.BEGIN;
      if (begin == inTx) {
        continue; // a nested BEGIN or a stray COMMIT changes nothing
      }
      segment(b, text, lineStart, segmentLine, s.line());
      inTx = begin;
      b.unit(begin ? "the script's BEGIN at line " + s.line() + " is one transaction"
          : "sqitch runs this script as written: statements after COMMIT commit one by one", s.line(), begin);
      segmentLine = s.line();
    }
    segment(b, text, lineStart, segmentLine, lineStart.length + 1);
    String revert = source.files().read(project + "revert/" + change + ".sql").orElse("");
    if (!revert.replaceAll("(?m)^\\s*--.*$", "").replaceAll("(?i)\\b(BEGIN|COMMIT)\\s*;", "").isBlank()) {
      b.wayBack("revert/" + change + ".sql");
    }
    return b.build();
  }

  /** Statements on lines [from, to) of the file (the line {@code to} itself belongs to the next segment). */
  private static void segment(MigrationBuilder b, String text, int[] lineStart, int from, int to) {
    int start = lineStart[Math.min(from, lineStart.length) - 1];
    int end = to > lineStart.length ? text.length() : lineStart[to - 1];
    if (end > start) {
      b.sqlAt(start, end, from);
    }
  }

  private static int[] lineStarts(String text) {
    int n = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    int[] starts = new int[n];
    int k = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[k++] = i + 1;
      }
    }
    return starts;
  }

  /** The change's position in sqitch.plan, zero-padded so versions sort as the plan does; null without a plan. */
  private static String order(String plan, String change) {
    if (plan == null) {
      return null;
    }
    String base = change.contains("@") ? change.substring(0, change.indexOf('@')) : change;
    int n = 0;
    for (String line : plan.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("%") || l.startsWith("#") || l.startsWith("@")) {
        continue;
      }
      n++;
      String name = l.split("\\s+")[0];
      if (name.equals(base)) {
        return String.format(Locale.ROOT, "%06d", n);
      }
    }
    return null;
  }

  private static Dialect dialect(MigrationSource source, String project, Matcher header) {
    String engine = null;
    Matcher conf = Pattern.compile("(?m)^\\s*engine\\s*=\\s*(\\w+)").matcher(source.files().read(project + "sqitch.conf")
        .orElse(""));
    if (conf.find()) {
      engine = conf.group(1);
    } else if (header.find(0)) {
      engine = header.group(1);
    }
    if (engine == null) {
      return DialectDetector.fromContent(source.text());
    }
    return engine.toLowerCase(Locale.ROOT).startsWith("mysql") ? Dialect.MYSQL : Dialect.POSTGRESQL;
  }
}
