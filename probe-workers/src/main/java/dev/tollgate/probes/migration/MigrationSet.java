package dev.tollgate.probes.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.probes.api.NotRead;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.migration.framework.FrameworkReader;
import dev.tollgate.probes.migration.framework.FrameworkReaders;
import dev.tollgate.probes.migration.framework.Lookalikes;
import dev.tollgate.probes.migration.framework.MigrationSource;
import dev.tollgate.probes.migration.framework.RepoFiles;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Name;
import dev.tollgate.probes.migration.sql.Statement;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.FileChange;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The migrations of one deploy, parsed once and shared by every rule of the probe (and by the rollback probe):
 * the pending migrations this deploy applies (in order), the history the running release already applied (replayed
 * into a schema so rules know column types and nullability), applied migrations this deploy edits, the settings,
 * the dialect, and the running release's code ({@link #oldCode()}).
 *
 * <pre>
 * MigrationSet set = MigrationSet.of(ctx);          // computed once per RuleContext (ctx.shared)
 * for (MigrationStatement s : set.statements()) {   // every statement this deploy runs, in order
 *   if (s.command() instanceof Command.AlterTable at) { ... s.columnBefore("email") ... }
 * }
 * </pre>
 */
public final class MigrationSet {
  private static final Object KEY = new Object();

  /**
   * An already-applied migration that this deploy changes (Flyway/Liquibase then refuse to start, or the edit never
   * runs).
   *
   * @param change {@code modified}, {@code deleted} or {@code renamed to <path>}
   * @param line line of the changed changeset (Liquibase), else 1
   * @param subject what changed, e.g. {@code V3__add_email.sql} or {@code changeset alice:7}
   */
  public record Edited(String path, Framework framework, String change, int line, String subject) {}

  /**
   * A file of the deploy that looks like a migration of a framework the probe does not read (by path and content).
   *
   * @param framework the framework's name, e.g. {@code Laravel}
   * @param howToCheck what the user can do to have it checked
   */
  public record Unchecked(String path, String framework, String howToCheck) {}

  /** A file of the deploy that {@code .tollgate.yml} declares is not a migration, with the reason given there. */
  public record Declared(String path, String reason) {}

  private final MigrationSettings settings;
  private final Dialect dialect;
  private final List<Unchecked> unchecked;
  private final List<Declared> declared;
  private final List<Migration> pending;
  private final List<Migration> applied;
  private final List<Edited> edited;
  private final List<MigrationStatement> statements = new ArrayList<>();
  private final Map<Class<?>, List<MigrationStatement>> byCommand = new HashMap<>();
  private final List<List<MigrationStatement>> transactionalUnits = new ArrayList<>();
  private final Map<Object, Object> memo = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Integer> tablesCreated = new HashMap<>();
  private final Map<String, Integer> indexesCreated = new HashMap<>();
  private final Map<String, String> indexTables = new HashMap<>();
  private final Supplier<OldCode> oldCode;
  private final Boolean flywayTransactionalLock;
  private final String flywayConfigSource;
  private final List<NotRead> notRead;
  private volatile OldCode oldCodeValue;

  private MigrationSet(MigrationSettings settings, Dialect dialect, List<Migration> pending, List<Migration> applied,
      List<Edited> edited, Supplier<OldCode> oldCode, Boolean flywayTransactionalLock, String flywayConfigSource,
      List<Unchecked> unchecked, List<Declared> declared, List<NotRead> notRead) {
    this.settings = settings;
    this.unchecked = List.copyOf(unchecked);
    this.declared = List.copyOf(declared);
    this.dialect = dialect;
    this.pending = List.copyOf(pending);
    this.applied = List.copyOf(applied);
    this.edited = List.copyOf(edited);
    this.oldCode = oldCode;
    this.flywayTransactionalLock = flywayTransactionalLock;
    this.flywayConfigSource = flywayConfigSource;
    this.notRead = List.copyOf(notRead);
    replay();
  }

  /** The set for this deploy, computed on first use and shared through {@link RuleContext#shared}. */
  public static MigrationSet of(RuleContext ctx) {
    return ctx.shared(KEY, () -> load(ctx));
  }

  /**
   * Standalone files (the CLI): each migration is its own deploy, nothing applied before it, no old code.
   *
   * @param migrations already read migrations
   */
  static MigrationSet standalone(Migration migration, MigrationSettings settings) {
    return new MigrationSet(settings, migration.dialect(), List.of(migration), List.of(), List.of(), OldCode::cli, null, null,
        List.of(), List.of(), List.of());
  }

  // ---------------------------------------------------------------- accessors

  public MigrationSettings settings() {
    return settings;
  }

  /** The dialect of this repository's migrations (configured or detected). */
  public Dialect dialect() {
    return dialect;
  }

  /** Migrations this deploy applies, in execution order (down/undo files included; see {@link Migration#kind()}). */
  public List<Migration> pending() {
    return pending;
  }

  /** Migrations the running release already applied, in order. */
  public List<Migration> applied() {
    return applied;
  }

  /**
   * Migrations (pending or applied) that could not be read: over the file limit, or not text. Whatever they run is
   * unknown to every rule, so {@code migration/read-incomplete} blocks on them.
   */
  public List<NotRead> notRead() {
    return notRead;
  }

  /** Applied migrations this deploy modifies, deletes or renames. */
  public List<Edited> edited() {
    return edited;
  }

  /** Files of this deploy that look like migrations of a framework the probe does not read. */
  public List<Unchecked> unchecked() {
    return unchecked;
  }

  /** Files of this deploy that {@code .tollgate.yml} declares are not migrations (and would otherwise be read). */
  public List<Declared> declared() {
    return declared;
  }

  /** Every statement the pending up/repeatable migrations run, in order (down and undo files excluded). */
  public List<MigrationStatement> statements() {
    return statements;
  }

  /**
   * The statements whose command is of {@code type}, in order: rules that look at one kind of statement walk only
   * those (a 50,000-statement file times 46 rules made full walks a measurable cost).
   */
  public List<MigrationStatement> statementsOf(Class<? extends Command> type) {
    return byCommand.getOrDefault(type, List.of());
  }

  /** The statements whose command is of any of {@code types}, in execution order. */
  @SafeVarargs
  public final List<MigrationStatement> statementsOf(Class<? extends Command>... types) {
    List<MigrationStatement> out = new ArrayList<>();
    for (Class<? extends Command> t : types) {
      out.addAll(statementsOf(t));
    }
    if (types.length > 1) {
      out.sort(java.util.Comparator.comparingInt(MigrationStatement::seq));
    }
    return out;
  }

  /**
   * The statements of each transactional unit, in order: what the transaction rules walk (a plain file of autocommit
   * statements has none, so they do no work on it).
   */
  public List<List<MigrationStatement>> transactionalUnits() {
    return transactionalUnits;
  }

  /** True when any pending migration is of {@code framework}. */
  public boolean has(Framework framework) {
    for (Migration m : pending) {
      if (m.framework() == framework) {
        return true;
      }
    }
    return false;
  }

  /**
   * What was read, by framework, for the probe's reason: {@code read 2 Rails migrations, 1 Flyway migration; not read:
   * 1 Laravel file}; null when the deploy has no migration.
   */
  public String summary() {
    Map<Framework, Integer> read = new java.util.EnumMap<>(Framework.class);
    for (Migration m : pending) {
      read.merge(m.framework(), 1, Integer::sum);
    }
    Map<String, Integer> notRead = new java.util.TreeMap<>();
    for (Unchecked u : unchecked) {
      notRead.merge(u.framework(), 1, Integer::sum);
    }
    List<String> out = new ArrayList<>();
    if (!read.isEmpty()) {
      List<String> parts = new ArrayList<>();
      read.forEach((f, n) -> parts.add(n + " " + f.displayName() + " migration" + (n == 1 ? "" : "s")));
      out.add("read " + String.join(", ", parts));
    }
    if (!notRead.isEmpty()) {
      List<String> parts = new ArrayList<>();
      notRead.forEach((f, n) -> parts.add(n + " " + f + " file" + (n == 1 ? "" : "s")));
      out.add("not read: " + String.join(", ", parts));
    }
    if (!declared.isEmpty()) {
      out.add(declared.size() + " declared not migrations");
    }
    return out.isEmpty() ? null : String.join("; ", out);
  }

  /** True when a pending migration marks lines as acknowledged in its framework's way (Rails safety_assured). */
  boolean hasAcknowledgements() {
    for (Migration m : pending) {
      if (!m.acknowledgements().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The acknowledgement covering {@code path:line} in a pending migration, else null. */
  Acknowledgement acknowledgementAt(String path, int line) {
    for (Migration m : pending) {
      if (m.path().equals(path)) {
        for (Acknowledgement a : m.acknowledgements()) {
          if (a.covers(line)) {
            return a;
          }
        }
      }
    }
    return null;
  }

  /** True when any pending migration is in {@code d}: rules of the other dialect skip the walk altogether. */
  public boolean has(Dialect d) {
    for (Migration m : pending) {
      if (m.dialect() == d) {
        return true;
      }
    }
    return false;
  }

  /** A value derived from this set, computed once and shared by rules (e.g. the added columns, the breaking changes). */
  @SuppressWarnings("unchecked")
  <T> T memo(Object key, Supplier<T> compute) {
    Object v = memo.get(key);
    if (v == null) {
      v = compute.get();
      Object prior = memo.putIfAbsent(key, v);
      v = prior != null ? prior : v;
    }
    return (T) v;
  }

  /**
   * The down or undo counterpart of an up migration, among pending and applied ones: Flyway {@code U<ver>__},
   * golang-migrate {@code <ver>_x.down.sql}.
   */
  public Optional<Migration> counterpart(Migration up) {
    if (up.version() == null) {
      return Optional.empty();
    }
    MigrationKind wanted = up.framework() == Framework.FLYWAY ? MigrationKind.UNDO : MigrationKind.DOWN;
    List<Migration> all = new ArrayList<>(pending);
    all.addAll(applied);
    return all.stream().filter(m -> m.framework() == up.framework() && m.kind() == wanted && up.version().equals(m.version()))
        .findFirst();
  }

  /** The running release's code, read on first use. */
  public OldCode oldCode() {
    OldCode v = oldCodeValue;
    if (v == null) {
      synchronized (this) {
        if (oldCodeValue == null) {
          oldCodeValue = oldCode.get();
        }
        v = oldCodeValue;
      }
    }
    return v;
  }

  /**
   * Whether Flyway takes its PostgreSQL lock as a transaction-level advisory lock: false when disabled in
   * {@code .tollgate.yml} or a Flyway/Spring configuration file in the repository, null when nothing says.
   */
  public Boolean flywayTransactionalLock() {
    return flywayTransactionalLock;
  }

  /** Where the Flyway lock setting was found, else null. */
  public String flywayConfigSource() {
    return flywayConfigSource;
  }

  boolean createdBefore(Name table, int seq) {
    Integer at = tablesCreated.get(table.name());
    return at != null && at < seq;
  }

  boolean indexNewBefore(Name index, int seq) {
    Integer at = indexesCreated.get(index.name());
    if (at != null && at < seq) {
      return true;
    }
    String table = indexTables.get(index.name());
    return table != null && createdBefore(Name.of(table), seq);
  }

  // ---------------------------------------------------------------- replay

  private void replay() {
    SchemaTracker schema = new SchemaTracker();
    for (Migration m : applied) {
      if (m.kind() == MigrationKind.UP || m.kind() == MigrationKind.REPEATABLE) {
        for (Statement s : m.statements()) {
          schema.apply(s);
          recordIndex(s);
        }
      }
    }
    int seq = 0;
    for (Migration m : pending) {
      if (m.kind() == MigrationKind.DOWN || m.kind() == MigrationKind.UNDO) {
        continue;
      }
      for (TransactionUnit u : m.units()) {
        int first = statements.size();
        for (Statement s : u.statements()) {
          replayOne(schema, m, u, s, ++seq);
        }
        if (u.transactional() && statements.size() > first) {
          transactionalUnits.add(List.copyOf(statements.subList(first, statements.size())));
        }
      }
    }
  }

  /** One statement of the deploy: a method of its own so it is compiled (the loop above runs only once). */
  private void replayOne(SchemaTracker schema, Migration m, TransactionUnit u, Statement s, int seq) {
    Command c = s.command();
    Map<String, ColumnInfo> before = c instanceof Command.AlterTable at ? schema.touched(at) : Map.of();
    Name primary = c instanceof Command.AlterTable at ? at.table() : c instanceof Command.CreateIndex ci ? ci.table()
        : c instanceof Command.Update up ? up.table() : c instanceof Command.Delete del ? del.table() : null;
    MigrationStatement ms = new MigrationStatement(m, u, s, seq, before, this, primary);
    statements.add(ms);
    byCommand.computeIfAbsent(c.getClass(), k -> new ArrayList<>()).add(ms);
    schema.apply(s);
    recordIndex(s);
    if (c instanceof Command.CreateTable ct) {
      tablesCreated.putIfAbsent(ct.table().name(), seq);
    } else if (c instanceof Command.CreateView cv) {
      tablesCreated.putIfAbsent(cv.name().name(), seq);
    } else if (c instanceof Command.CreateIndex ci && ci.name() != null) {
      indexesCreated.putIfAbsent(ci.name().name(), seq);
    }
  }

  private void recordIndex(Statement s) {
    if (s.command() instanceof Command.CreateIndex ci && ci.name() != null) {
      indexTables.put(ci.name().name(), ci.table().name());
    }
  }

  // ---------------------------------------------------------------- loading from a repository

  /** One side of the range as the files a changelog's includes and sqlFiles name. */
  private static LiquibaseChangelog.Tree tree(java.util.function.Function<String, Optional<String>> read,
      List<String> paths) {
    return new LiquibaseChangelog.Tree() {
      @Override
      public Optional<String> read(String path) {
        return read.apply(path);
      }

      @Override
      public boolean hasDirectory(String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        return paths.stream().anyMatch(p -> p.startsWith(prefix));
      }
    };
  }

  private static MigrationSet load(RuleContext ctx) {
    ChangeSet changes = ctx.changes();
    LiquibaseChangelog.Tree candidate = tree(changes::readCandidateText, changes.candidatePaths());
    LiquibaseChangelog.Tree baseline = tree(changes::readBaselineText, changes.baselinePaths());
    MigrationSettings settings = MigrationSettings.read(ctx.server().section("migrations"), "tollgate.yml",
        ctx.repoConfig().section("migrations"), label(ctx.repoConfig().source()));
    Dialect dialect = settings.configuredDialect();
    FrameworkConfig fw = FrameworkConfig.scan(changes);
    if (dialect == null) {
      dialect = fw.dialect();
    }
    if (settings.flywayMixed() == null && fw.mixed() != null) {
      settings = settings.withFlywayMixed(fw.mixed());
    }
    MigrationSettings s = settings;
    Set<String> baselinePaths = new HashSet<>(changes.baselinePaths());

    // What this deploy adds or changes.
    List<String[]> newFiles = new ArrayList<>(); // {path, text}
    List<Edited> edited = new ArrayList<>();
    List<NotRead> notRead = new ArrayList<>();
    Map<String, String> modifiedChangelogs = new LinkedHashMap<>();
    Map<FrameworkReader, List<String[]>> frameworkFiles = new LinkedHashMap<>(); // reader -> {path, text}
    RepoFiles candidateFiles = RepoFiles.of(changes::readCandidateText, changes::candidatePaths);
    List<String> lookalikes = new ArrayList<>(); // changed files in migration-like places that nothing read yet
    List<Declared> declared = new ArrayList<>();
    for (FileChange f : changes.files()) {
      String path = f.path();
      if (!s.notMigrations().isEmpty() && s.notMigrationReason(path) != null) {
        if (f.type() != FileChange.Type.DELETE && f.hasText() && wouldBeRead(path, changes)) {
          declared.add(new Declared(path, s.notMigrationReason(path)));
        }
        continue;
      }
      FrameworkReader reader = FrameworkReaders.ALL.isEmpty() || !isCandidatePath(path, s) ? null
          : FrameworkReaders.claiming(path);
      if (reader != null) {
        boolean unreadable = f.type() != FileChange.Type.DELETE && !f.hasText()
            && (f.skipped() == null || "too-large".equals(f.skipped()));
        // Several tools share a naming (goose and dbmate <version>_x.sql; Knex, Sequelize and TypeORM files in a
        // migrations directory): the content says whose file it is, and a file no reader confirms is read as before.
        // A file over the limit is confirmed by its head.
        reader = FrameworkReaders.confirmed(path, f.type() == FileChange.Type.DELETE ? changes.readBaselineText(path).orElse("")
            : unreadable ? changes.readCandidatePrefix(path, HEAD_BYTES).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("")
            : changes.readCandidateText(path).orElse(""));
        if (unreadable) {
          // A framework's migration file over the limit (or binary) is a migration nobody read: fail closed, as for
          // SQL, whether or not its head says whose it is (padding can push any marker past the head).
          String what = reader == null ? "Migration" : reader.framework().displayName() + " migration";
          notRead.add(f.binary() ? NotRead.unparseable(path, what, "it is not text (it holds NUL bytes)")
              : NotRead.tooLarge(path, f.size(), changes.limits().maxFileBytes(), what));
          continue;
        }
      }
      if (reader != null) {
        frameworkChange(f, reader, changes, baselinePaths, dialect, s, candidateFiles, frameworkFiles, edited);
        continue;
      }
      boolean lookalike = f.type() != FileChange.Type.DELETE && f.hasText() && Lookalikes.mayLookLike(path)
          && isCandidatePath(path, s);
      if (lookalike) {
        lookalikes.add(path);
      }
      if (!isMigrationPath(path, s)) {
        continue;
      }
      if (f.type() == FileChange.Type.DELETE) {
        if (isVersioned(path)) {
          edited.add(new Edited(path, frameworkOf(path), "deleted", 0, fileName(path)));
        }
        continue;
      }
      if (!f.hasText()) {
        if (f.skipped() == null || "too-large".equals(f.skipped())) {
          unreadable(changes, f, s).ifPresent(notRead::add);
        }
        continue;
      }
      String text = changes.readCandidateText(path).orElse("");
      boolean existedBefore = f.oldPath() != null && baselinePaths.contains(f.oldPath());
      if (!existedBefore) {
        newFiles.add(new String[] {path, text});
        continue;
      }
      MigrationReader.Guess g = MigrationReader.guess(path);
      if (g != null && g.framework() == Framework.FLYWAY && g.kind() == MigrationKind.REPEATABLE) {
        newFiles.add(new String[] {path, text}); // R__ files re-run when changed: lint them whole
        continue;
      }
      String before = changes.readBaselineText(f.oldPath()).orElse("");
      if (g != null && g.framework() == null && MigrationReader.looksLikeMigration(path, text)
          && isLiquibase(path, text)) {
        modifiedChangelogs.put(path, before);
        continue;
      }
      if (normalize(before).equals(normalize(text)) && f.type() != FileChange.Type.RENAME) {
        continue;
      }
      if (f.type() == FileChange.Type.RENAME && !isVersioned(path) && !isVersioned(f.oldPath())) {
        continue;
      }
      boolean counts = isVersioned(path) || (g != null && g.framework() == null && looksLikeMigrationFile(path, text, s));
      if (counts) {
        String change = f.type() == FileChange.Type.RENAME ? "renamed to " + path : "modified";
        edited.add(new Edited(f.type() == FileChange.Type.RENAME ? f.oldPath() : path, frameworkOf(path), change, 1,
            fileName(f.type() == FileChange.Type.RENAME ? f.oldPath() : path)));
      }
    }

    List<Migration> pending = new ArrayList<>();
    Set<String> migrationPaths = new HashSet<>();
    for (String[] nf : newFiles) {
      Migration m = MigrationReader.read(nf[0], nf[1], dialectFor(dialect, nf[1]), s,
          changes.readCandidateText(nf[0] + ".conf").orElse(null), isPlainPath(nf[0], s), candidate);
      if (m != null) {
        pending.add(m);
        migrationPaths.add(m.path());
      }
    }
    List<Unchecked> unchecked = new ArrayList<>();
    for (String path : lookalikes) {
      if (migrationPaths.contains(path) || edited.stream().anyMatch(e -> e.path().equals(path))) {
        continue;
      }
      String text = changes.readCandidateText(path).orElse("");
      FrameworkReader byContent = FrameworkReaders.claiming(path, text);
      if (byContent != null) {
        // A framework the probe reads, outside its usual layout: read it rather than only report it.
        frameworkFiles.computeIfAbsent(byContent, k -> new ArrayList<>()).add(new String[] {path, text});
        continue;
      }
      Lookalikes.Lookalike l = Lookalikes.match(path, text);
      if (l != null) {
        unchecked.add(new Unchecked(path, l.framework(), l.howToCheck()));
      }
    }
    for (Map.Entry<FrameworkReader, List<String[]>> e : frameworkFiles.entrySet()) {
      for (String[] nf : e.getValue()) {
        Migration m = e.getKey().read(new MigrationSource(nf[0], nf[1], dialect, s, candidateFiles));
        if (m != null) {
          pending.add(m);
          migrationPaths.add(m.path());
        }
      }
    }
    for (Map.Entry<String, String> e : modifiedChangelogs.entrySet()) {
      String text = changes.readCandidateText(e.getKey()).orElse("");
      Dialect d = dialectFor(dialect, text);
      Migration now = MigrationReader.read(e.getKey(), text, d, s, null, false, candidate);
      Migration was = MigrationReader.read(e.getKey(), e.getValue(), d, s, null, false, baseline);
      if (now == null) {
        continue;
      }
      migrationPaths.add(now.path());
      Map<String, Changeset> old = new HashMap<>();
      if (was != null) {
        was.changesets().forEach(c -> old.put(c.key(), c));
      }
      List<TransactionUnit> fresh = new ArrayList<>();
      for (TransactionUnit u : now.units()) {
        Changeset c = u.changeset();
        Changeset prior = c == null ? null : old.get(c.key());
        if (prior == null) {
          fresh.add(u);
        } else if (!prior.body().equals(c.body()) && !c.runOnChange()) {
          edited.add(new Edited(now.path(), Framework.LIQUIBASE, "modified", c.line(), "changeset " + c.key()));
        }
      }
      // What the deploy adds that the probe cannot read (an include from outside the repository, a change it does not
      // render) counts even without a new changeset; what the running release already had was reported when it shipped.
      List<Unread> added = new ArrayList<>(now.unread());
      if (was != null) {
        for (Unread u : was.unread()) {
          added.stream().filter(a -> a.excerpt().equals(u.excerpt()) && a.reason().equals(u.reason())).findFirst()
              .ifPresent(added::remove);
        }
      }
      if (!fresh.isEmpty() || !added.isEmpty()) {
        pending.add(now.withUnits(fresh).withUnread(added));
      }
    }

    // What the running release already applied: replayed so rules know the schema.
    List<Migration> applied = new ArrayList<>();
    if (!changes.firstDeploy()) {
      for (String path : changes.baselinePaths()) {
        if (!isMigrationPath(path, s)) {
          continue;
        }
        MigrationReader.Guess g = MigrationReader.guess(path);
        if (g == null || !(path.toLowerCase(Locale.ROOT).endsWith(".sql") || g.framework() == null)) {
          continue;
        }
        Optional<String> text = changes.readBaselineText(path);
        if (text.isEmpty() && (g.framework() != null || isPlainPath(path, s))) {
          changes.baselineOverLimit(path).ifPresent(size -> notRead.add(NotRead.tooLarge(path, size,
              changes.limits().maxFileBytes(), "Applied migration (the running release's schema history)")));
        }
        if (text.isEmpty() || (g.framework() == null && !MigrationReader.looksLikeMigration(path, text.get())
            && !isPlainPath(path, s))) {
          continue;
        }
        Migration m = MigrationReader.read(path, text.get(), dialectFor(dialect, text.get()), s,
            changes.readBaselineText(path + ".conf").orElse(null), isPlainPath(path, s), baseline);
        if (m != null) {
          applied.add(m);
          migrationPaths.add(path);
        }
      }
    }
    if (!changes.firstDeploy()) {
      applied.addAll(frameworkHistory(changes, pending, dialect, s, migrationPaths));
    }
    pending = inOrder(pending);
    applied = inOrder(applied);
    // Nothing configured or detected in the repository: the migrations' own content decided per file; the set's
    // dialect is the most common one among them (PostgreSQL when there are none).
    Dialect setDialect = dialect != null ? dialect
        : pending.stream().filter(m -> m.dialect() == Dialect.MYSQL).count() * 2 > pending.size() ? Dialect.MYSQL
        : Dialect.POSTGRESQL;
    Boolean lock = s.flywayTransactionalLock() != null ? s.flywayTransactionalLock() : fw.transactionalLock();
    String lockSource = s.flywayTransactionalLock() != null ? label(ctx.repoConfig().source()) : fw.source();
    return new MigrationSet(s, setDialect, pending, applied, edited,
        () -> OldCode.read(changes, p -> migrationPaths.contains(p) || isMigrationPath(p, s) && p.endsWith(".sql")
            || FrameworkReaders.isMigrationOrSchema(p), s),
        lock, lockSource, unchecked, declared, notRead);
  }

  /**
   * One changed file a framework reader claims: a new migration is read later (pending); a deleted, renamed or
   * modified one that the running release already had is an edited applied migration — unless the edit does not
   * change what the framework runs (a comment, formatting, a {@code frozen_string_literal} line).
   */
  private static void frameworkChange(FileChange f, FrameworkReader reader, ChangeSet changes, Set<String> baselinePaths,
      Dialect dialect, MigrationSettings s, RepoFiles candidateFiles, Map<FrameworkReader, List<String[]>> out,
      List<Edited> edited) {
    String path = f.path();
    Framework fw = reader.framework();
    if (f.type() == FileChange.Type.DELETE) {
      edited.add(new Edited(path, fw, "deleted", 0, fileName(path)));
      return;
    }
    if (!f.hasText()) {
      return;
    }
    String text = changes.readCandidateText(path).orElse("");
    boolean existedBefore = f.oldPath() != null && baselinePaths.contains(f.oldPath());
    if (!existedBefore) {
      out.computeIfAbsent(reader, k -> new ArrayList<>()).add(new String[] {path, text});
      return;
    }
    if (f.type() == FileChange.Type.RENAME) {
      edited.add(new Edited(f.oldPath(), fw, "renamed to " + path, 1, fileName(f.oldPath())));
      return;
    }
    String before = changes.readBaselineText(f.oldPath()).orElse("");
    if (normalize(before).equals(normalize(text))) {
      return;
    }
    RepoFiles baselineFiles = RepoFiles.of(changes::readBaselineText, changes::baselinePaths);
    Migration was = reader.read(new MigrationSource(path, before, dialect, s, baselineFiles));
    Migration now = reader.read(new MigrationSource(path, text, dialect, s, candidateFiles));
    if (was != null && now != null && sameEffect(was, now)) {
      return;
    }
    if (was != null || now != null) {
      edited.add(new Edited(path, fw, "modified", 1, fileName(path)));
    }
  }

  /**
   * Whether the probe would read {@code path} as a migration, or report it as one it cannot read, were it not declared
   * otherwise: only such declarations are worth showing.
   */
  private static boolean wouldBeRead(String path, ChangeSet changes) {
    if (FrameworkReaders.claiming(path) != null) {
      return true;
    }
    MigrationReader.Guess g = MigrationReader.guess(path);
    if (g != null && g.framework() != null) {
      return true;
    }
    if (g == null && !Lookalikes.mayLookLike(path)) {
      return false;
    }
    String text = changes.readCandidateText(path).orElse("");
    return g != null && MigrationReader.looksLikeMigration(path, text) || Lookalikes.mayLookLike(path)
        && (Lookalikes.match(path, text) != null || FrameworkReaders.claiming(path, text) != null);
  }

  /** Two versions of a framework migration run the same SQL and leave the same schema code unread. */
  private static boolean sameEffect(Migration a, Migration b) {
    List<String> x = a.units().stream().flatMap(u -> u.statements().stream()).map(st -> collapse(st.text())).toList();
    List<String> y = b.units().stream().flatMap(u -> u.statements().stream()).map(st -> collapse(st.text())).toList();
    return x.equals(y) && a.units().stream().map(TransactionUnit::transactional).toList()
        .equals(b.units().stream().map(TransactionUnit::transactional).toList())
        && schemaUnread(a).equals(schemaUnread(b));
  }

  /**
   * What a framework migration leaves unread that may change the schema: an edit that only changes application code
   * run on the data (commonly, removing model references from old migrations) builds the same schema.
   */
  private static List<String> schemaUnread(Migration m) {
    return m.unread().stream().filter(u -> u.kind() == Unread.Kind.SCHEMA).map(Unread::excerpt).toList();
  }

  private static String collapse(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /**
   * What the running release already applied of each framework that has a pending migration (so a deploy without one
   * reads nothing more than before): the framework's schema dump when the baseline has one (Rails
   * {@code db/schema.rb}), else its migration history.
   */
  private static List<Migration> frameworkHistory(ChangeSet changes, List<Migration> pending, Dialect dialect,
      MigrationSettings s, Set<String> migrationPaths) {
    List<Migration> out = new ArrayList<>();
    Set<Framework> seen = new HashSet<>();
    RepoFiles baselineFiles = RepoFiles.of(changes::readBaselineText, changes::baselinePaths);
    for (Migration p : pending) {
      FrameworkReader reader = FrameworkReaders.of(p.framework());
      if (reader == null || !seen.add(p.framework())) {
        continue;
      }
      List<Statement> schema = new ArrayList<>();
      String schemaPath = null;
      for (String path : changes.baselinePaths()) {
        if (reader.isSchemaFile(path) && isCandidatePath(path, s)) {
          Optional<String> text = changes.readBaselineText(path);
          if (text.isPresent()) {
            schema.addAll(reader.readSchema(new MigrationSource(path, text.get(), dialect, s, baselineFiles)));
            schemaPath = path;
          }
        }
      }
      if (schemaPath != null) {
        Dialect d = pending.stream().filter(m -> m.framework() == p.framework()).findFirst().map(Migration::dialect)
            .orElse(Dialect.POSTGRESQL);
        out.add(new Migration(schemaPath, p.framework(), MigrationKind.UP, "0", d,
            List.of(new TransactionUnit("schema", 1, false, schema, null)), List.of(), false, null));
        continue;
      }
      for (String path : changes.baselinePaths()) {
        if (!reader.claims(path) || !isCandidatePath(path, s) || migrationPaths.contains(path)
            || !reader.replays(path, pending)) {
          continue;
        }
        Optional<String> text = changes.readBaselineText(path);
        if (text.isEmpty()) {
          continue;
        }
        Migration m = reader.read(new MigrationSource(path, text.get(), dialect, s, baselineFiles));
        if (m != null) {
          out.add(m);
          migrationPaths.add(path);
        }
      }
    }
    return out;
  }

  /**
   * {@link #ORDER}, then every migration after those it names in {@link Migration#after()} (Django dependencies,
   * Alembic's down_revision): a stable topological order, so a table created by one pending migration exists before
   * another drops it.
   */
  static List<Migration> inOrder(List<Migration> migrations) {
    List<Migration> sorted = new ArrayList<>(migrations);
    sorted.sort(ORDER);
    if (sorted.stream().allMatch(m -> m.after().isEmpty())) {
      return sorted;
    }
    Map<String, Migration> byId = new HashMap<>();
    for (Migration m : sorted) {
      if (m.id() != null) {
        byId.putIfAbsent(m.id(), m);
      }
    }
    List<Migration> out = new ArrayList<>(sorted.size());
    Set<Migration> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Set<Migration> visiting = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Migration m : sorted) {
      visit(m, byId, done, visiting, out);
    }
    return out;
  }

  private static void visit(Migration m, Map<String, Migration> byId, Set<Migration> done, Set<Migration> visiting,
      List<Migration> out) {
    if (done.contains(m) || !visiting.add(m)) {
      return; // done, or a dependency cycle (the framework refuses it too): keep the order we have
    }
    for (String dep : m.after()) {
      Migration d = byId.get(dep);
      if (d != null) {
        visit(d, byId, done, visiting, out);
      }
    }
    visiting.remove(m);
    done.add(m);
    out.add(m);
  }

  /** Bytes of a file's head read to tell whether a file over the limit is a migration (the markers are at the top). */
  private static final int HEAD_BYTES = 64 * 1024;

  /**
   * Why a changed file without readable text is a migration nobody read: over the file limit, or binary where SQL,
   * XML or YAML was expected. A file the probe would not take for a migration anyway (named nothing special, no
   * Liquibase or dbmate marker in its head) is not reported.
   */
  private static Optional<NotRead> unreadable(ChangeSet changes, FileChange f, MigrationSettings s) {
    String path = f.path();
    MigrationReader.Guess g = MigrationReader.guess(path);
    boolean migration = g.framework() != null || isPlainPath(path, s);
    if (!migration) {
      String head = changes.readCandidatePrefix(path, HEAD_BYTES)
          .map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
      migration = MigrationReader.looksLikeMigration(path, head);
    }
    if (!migration) {
      return Optional.empty();
    }
    if (f.binary()) {
      return Optional.of(NotRead.unparseable(path, "Migration", "it is not text (it holds NUL bytes)"));
    }
    return Optional.of(NotRead.tooLarge(path, f.size(), changes.limits().maxFileBytes(), "Migration"));
  }

  /** {@code .tollgate.yml@3f2c...} → {@code .tollgate.yml}: messages name the file, not the commit. */
  static String label(String source) {
    int at = source.indexOf('@');
    return at < 0 ? source : source.substring(0, at);
  }

  /** Configured dialect, else the repository's detected one, else the file's own content. */
  private static Dialect dialectFor(Dialect repo, String text) {
    return repo != null ? repo : DialectDetector.fromContent(text);
  }

  private static boolean isLiquibase(String path, String text) {
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.endsWith(".xml") || lower.endsWith(".yaml") || lower.endsWith(".yml")
        || MigrationReader.liquibaseFormatted(text);
  }

  private static boolean looksLikeMigrationFile(String path, String text, MigrationSettings s) {
    return MigrationReader.looksLikeMigration(path, text) || isPlainPath(path, s);
  }

  private static String normalize(String text) {
    return text.replace("\r\n", "\n").replace("\uFEFF", "").stripTrailing();
  }

  private static boolean isVersioned(String path) {
    MigrationReader.Guess g = MigrationReader.guess(path);
    return g != null && g.framework() != null && g.kind() != MigrationKind.REPEATABLE;
  }

  private static Framework frameworkOf(String path) {
    MigrationReader.Guess g = MigrationReader.guess(path);
    return g != null && g.framework() != null ? g.framework() : Framework.PLAIN;
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Migration files live anywhere except build output, dependencies, tests and configured exclusions. */
  static boolean isMigrationPath(String path, MigrationSettings s) {
    return MigrationReader.guess(path) != null && isCandidatePath(path, s);
  }

  /** Not build output, dependencies, tests or a configured exclusion: a place migrations may live. */
  static boolean isCandidatePath(String path, MigrationSettings s) {
    String p = "/" + path;
    for (String skip : List.of("/node_modules/", "/vendor/", "/target/", "/build/", "/dist/", "/src/test/", "/testdata/")) {
      if (p.contains(skip)) {
        return false;
      }
    }
    for (String ex : s.exclude()) {
      if (path.startsWith(ex)) {
        return false;
      }
    }
    return true;
  }

  static boolean isPlainPath(String path, MigrationSettings s) {
    if (!path.toLowerCase(Locale.ROOT).endsWith(".sql")) {
      return false;
    }
    for (String dir : s.paths()) {
      String d = dir.endsWith("/") ? dir : dir + "/";
      if (path.startsWith(d)) {
        return true;
      }
    }
    return false;
  }

  /** Flyway first (versioned by version, then repeatable), otherwise by version, then path. */
  static final Comparator<Migration> ORDER = Comparator
      .comparing((Migration m) -> m.kind() == MigrationKind.REPEATABLE ? 1 : 0)
      .thenComparing((a, b) -> compareVersions(a.version(), b.version()))
      .thenComparing(Migration::path);

  static int compareVersions(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c = p.length() != q.length() && p.chars().allMatch(Character::isDigit) && q.chars().allMatch(Character::isDigit)
          ? Integer.compare(p.replaceFirst("^0+(?=.)", "").length(), q.replaceFirst("^0+(?=.)", "").length()) : 0;
      if (c == 0) {
        c = p.replaceFirst("^0+(?=.)", "").compareTo(q.replaceFirst("^0+(?=.)", ""));
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The YAML mapper, created on first use: the CLI never reads repository YAML, and Jackson's start-up is not free. */
  private static final class Yaml {
    static final YAMLMapper MAPPER = new YAMLMapper();
  }

  /**
   * Flyway and Spring settings found in the repository: the advisory-lock mode, {@code mixed}, and the JDBC URL's
   * database (dialect detection).
   */
  record FrameworkConfig(Boolean transactionalLock, Boolean mixed, String source, Dialect dialect) {
    /** Names of the files read: none of them can hold a {@code /}. */
    private static final String CONFIG_NAMES = "(flyway\\.conf|flyway\\.toml|application[^/]*\\.(properties|ya?ml)"
        + "|bootstrap[^/]*\\.(properties|ya?ml)"
        + "|liquibase\\.properties|docker-compose[^/]*\\.ya?ml|compose\\.ya?ml|pom\\.xml|build\\.gradle(\\.kts)?|go\\.mod"
        + "|package\\.json|Gemfile|requirements[^/]*\\.txt|pyproject\\.toml|\\.env|database\\.yml(\\.sample|\\.example)?"
        + "|migration_lock\\.toml"
        + "|schema\\.prisma|settings[^/]*\\.py|alembic\\.ini)";
    private static final Pattern CONFIG_FILE = Pattern.compile("(.*/)?" + CONFIG_NAMES);
    /**
     * The same names alone: a path {@link #CONFIG_FILE} matches has a name this matches (a name holds no {@code /}, so
     * the pattern's optional directory part takes the whole directory). Tried first on the name, a few characters, for
     * every path of the tree.
     */
    private static final Pattern CONFIG_NAME = Pattern.compile(CONFIG_NAMES);

    static FrameworkConfig scan(ChangeSet changes) {
      Boolean lock = null;
      Boolean mixed = null;
      String source = null;
      int pg = 0;
      int my = 0;
      for (String path : changes.candidatePaths()) {
        if (!CONFIG_NAME.matcher(path.substring(path.lastIndexOf('/') + 1)).matches()
            || !CONFIG_FILE.matcher(path).matches() || path.contains("/node_modules/") || path.contains("/src/test/")) {
          continue;
        }
        String text = changes.readCandidateText(path).orElse("");
        Map<String, String> props = flatten(path, text);
        for (Map.Entry<String, String> e : props.entrySet()) {
          String k = e.getKey().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
          String v = e.getValue().strip().toLowerCase(Locale.ROOT);
          if (k.endsWith("postgresql.transactional.lock") || k.endsWith("postgresql.transactionallock")) {
            lock = !v.equals("false");
            source = path;
          } else if (k.equals("flyway.mixed") || k.equals("spring.flyway.mixed")) {
            mixed = v.equals("true");
          }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        pg += count(lower, "jdbc:postgresql:") + count(lower, "postgres://") + count(lower, "postgresql://")
            + count(lower, "<artifactid>postgresql</artifactid>") + count(lower, "org.postgresql:postgresql")
            + count(lower, "image: postgres") + count(lower, "github.com/lib/pq") + count(lower, "jackc/pgx")
            + count(lower, "psycopg") + count(lower, "\"pg\":") + count(lower, "gem 'pg'") + count(lower, "gem \"pg\"")
            + count(lower, "adapter: postgresql") + count(lower, "adapter: postgis") + count(lower, "provider = \"postgresql\"")
            + count(lower, "django.db.backends.postgresql") + count(lower, "backends.postgis")
            + count(lower, "postgresql+");
        my += count(lower, "jdbc:mysql:") + count(lower, "jdbc:mariadb:") + count(lower, "mysql://")
            + count(lower, "<artifactid>mysql-connector") + count(lower, "com.mysql:mysql-connector")
            + count(lower, "mariadb-java-client") + count(lower, "image: mysql") + count(lower, "image: mariadb")
            + count(lower, "go-sql-driver/mysql") + count(lower, "mysqlclient") + count(lower, "pymysql")
            + count(lower, "\"mysql2\":") + count(lower, "gem 'mysql2'") + count(lower, "gem \"mysql2\"")
            + count(lower, "gem 'trilogy'") + count(lower, "gem \"trilogy\"") // Rails' MySQL adapter since 7.1
            + count(lower, "adapter: mysql2") + count(lower, "adapter: trilogy") + count(lower, "provider = \"mysql\"")
            + count(lower, "django.db.backends.mysql") + count(lower, "mysql+");
      }
      Dialect d = pg == my ? null : pg > my ? Dialect.POSTGRESQL : Dialect.MYSQL;
      return new FrameworkConfig(lock, mixed, source, d);
    }

    private static int count(String text, String needle) {
      int n = 0;
      for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
        n++;
      }
      return n;
    }

    /** Dotted keys of a properties, YAML or TOML file (other files: none). */
    static Map<String, String> flatten(String path, String text) {
      Map<String, String> out = new LinkedHashMap<>();
      String lower = path.toLowerCase(Locale.ROOT);
      try {
        if (lower.endsWith(".properties") || lower.endsWith(".conf") || lower.endsWith(".env")) {
          Properties p = new Properties();
          p.load(new StringReader(text));
          p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        } else if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
          for (JsonNode doc : Yaml.MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
            flattenYaml("", doc, out);
          }
        } else if (lower.endsWith(".toml")) {
          String section = "";
          for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("[") && l.endsWith("]")) {
              section = l.substring(1, l.length() - 1).strip() + ".";
            } else if (l.contains("=") && !l.startsWith("#")) {
              String k = l.substring(0, l.indexOf('=')).strip().replace("\"", "");
              String v = l.substring(l.indexOf('=') + 1).strip().replace("\"", "");
              out.put(section + k, v);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // A configuration file we cannot read says nothing about Flyway; the rules then assume defaults.
      }
      return out;
    }

    private static void flattenYaml(String prefix, JsonNode node, Map<String, String> out) {
      if (node == null) {
        return;
      }
      if (node.isObject()) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          flattenYaml(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
      } else if (node.isValueNode()) {
        out.put(prefix, node.asText());
      }
    }
  }
}
