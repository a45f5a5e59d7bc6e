package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.DialectDetector;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.Unread;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * goose SQL migrations ({@code <version>_name.sql} with {@code -- +goose Up} and {@code -- +goose Down}): the Up
 * section's statements ({@code StatementBegin/End} blocks kept whole), in one transaction unless the file says
 * {@code -- +goose NO TRANSACTION}. goose's Go migrations ({@code goose.AddMigration}) are Go code and are not read.
 * docs/rules/migration/goose.md.
 */
public final class GooseReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|.*/)(\\d+)_[^/]+\\.sql");
  private static final Pattern UP = Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+Up\\b.*$");
  private static final Pattern DOWN = Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+Down\\b.*$");
  private static final Pattern NO_TX = Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+NO\\s+TRANSACTION\\b");
  private static final Pattern BLOCK = Pattern.compile(
      "(?ims)^\\s*--\\s*\\+goose\\s+StatementBegin\\b[^\\n]*\\n(.*?)^\\s*--\\s*\\+goose\\s+StatementEnd\\b");
  private static final Pattern ENVSUB = Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+ENVSUB\\s+ON\\b");

  @Override
  public Framework framework() {
    return Framework.GOOSE;
  }

  @Override
  public boolean claims(String path) {
    return PATH.matcher(path).matches() && !path.endsWith(".up.sql") && !path.endsWith(".down.sql");
  }

  @Override
  public boolean confirms(String path, String text) {
    return UP.matcher(text).find();
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".sql") && confirms(path, text);
  }

  @Override
  public Migration read(MigrationSource source) {
    String text = source.text();
    Matcher up = UP.matcher(text);
    if (!up.find()) {
      return null; // another tool's file under the same naming (dbmate, plain SQL)
    }
    int from = up.end();
    Matcher down = DOWN.matcher(text);
    int to = down.find(from) ? down.start() : text.length();
    Matcher vm = PATH.matcher(source.path());
    MigrationBuilder b = new MigrationBuilder(source, Framework.GOOSE, vm.matches() ? vm.group(2) : null,
        Dialects.of(source, () -> DialectDetector.fromContent(text.substring(from, to))));
    boolean tx = !NO_TX.matcher(text).find();
    int upLine = lineAt(text, from);
    b.unit(tx ? "goose runs this migration in one transaction"
        : "-- +goose NO TRANSACTION: goose runs this migration without a transaction", upLine, tx);
    boolean envsub = ENVSUB.matcher(text).find();
    // StatementBegin ... StatementEnd blocks are one statement each; the SQL between them is split as usual.
    int at = from;
    Matcher block = BLOCK.matcher(text);
    block.region(from, to);
    while (block.find()) {
      section(b, text, at, block.start(), envsub);
      section(b, text, block.start(1), block.end(1), envsub);
      at = block.end();
    }
    section(b, text, at, to, envsub);
    if (to < text.length() && !text.substring(down.end(), text.length()).replaceAll("(?m)^\\s*--.*$", "").isBlank()) {
      b.wayBack("its -- +goose Down section");
    }
    return b.build();
  }

  private static void section(MigrationBuilder b, String text, int from, int to, boolean envsub) {
    if (to <= from || text.substring(from, to).isBlank()) {
      return;
    }
    int line = lineAt(text, from);
    if (envsub && text.substring(from, to).contains("${")) {
      b.unread(line, text.substring(from, to).strip(), "-- +goose ENVSUB ON substitutes environment variables into"
          + " this SQL when it runs", Unread.Kind.SCHEMA);
      return;
    }
    b.sqlAt(from, to, line);
  }

  static int lineAt(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
