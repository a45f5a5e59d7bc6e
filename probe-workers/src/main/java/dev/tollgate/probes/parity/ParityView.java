package dev.tollgate.probes.parity;

import dev.tollgate.probes.api.NotRead;
import dev.tollgate.probes.api.RuleContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the parity rules share, computed once per evaluation: the settings, which environment the target is
 * compared with, and each compared pair of configurations flattened to keys. Rules only read it.
 */
final class ParityView {
  /** A problem reading a file, reported by {@link InvalidParityConfigRule}. */
  record Problem(String file, int line, String message) {}

  /** Two environments' configurations for one logical source, keyed by flattened key. */
  record Pair(String label, Map<String, Entry> previous, Map<String, Entry> target) {}

  private static final Object KEY = new Object();
  /** Key segments that hold feature flags, lower-cased with separators removed. */
  private static final List<String> FLAG_SEGMENTS = List.of("features", "feature", "featureflags", "featureflag",
      "flags", "featuretoggles", "toggles");
  private static final Pattern FLAG_NAME = Pattern.compile("(?i)(FEATURE|FF|FLAG|TOGGLE)[_-].+");

  private final ParitySettings settings;
  private final String previous;
  private final boolean declared;
  private final List<Pair> pairs;
  private final List<Problem> problems;
  private final List<NotRead> notRead;
  private final Redactor redactor;

  private ParityView(ParitySettings settings, String previous, boolean declared, List<Pair> pairs, List<Problem> problems,
      List<NotRead> notRead) {
    this.settings = settings;
    this.previous = previous;
    this.declared = declared;
    this.pairs = List.copyOf(pairs);
    this.problems = List.copyOf(problems);
    this.notRead = List.copyOf(notRead);
    this.redactor = new Redactor(settings.secretKeys());
  }

  static ParityView of(RuleContext ctx) {
    return ctx.shared(KEY, () -> build(ctx));
  }

  private static ParityView build(RuleContext ctx) {
    String target = ctx.target().environment();
    ParitySettings settings = ParitySettings.read(ctx.repoConfig(), ctx.server(), target);
    if (!settings.valid()) {
      return new ParityView(settings, settings.previous(), settings.previous() != null, List.of(), List.of(), List.of());
    }
    List<String> paths = ctx.changes().candidatePaths();
    String previous = settings.previous();
    boolean declared = previous != null;
    List<Layouts.Comparison> comparisons = List.of();
    if (!declared && settings.detect()) {
      // No chain declared: compare with the nearest earlier conventional stage that has files of its own.
      int stage = EnvNames.stage(target);
      for (int s = stage - 1; s >= 0 && previous == null; s--) {
        for (String name : EnvNames.ORDER.get(s)) {
          List<Layouts.Comparison> found = Layouts.detect(paths, target, name, settings.exclude());
          // The earlier stage must have files of its own; a layout matched only on the target's side is not one.
          List<String> variants = EnvNames.variants(name);
          boolean own = found.stream().anyMatch(c -> c.previousFiles().stream().anyMatch(f -> EnvNames.mentions(f, variants)));
          if (own) {
            previous = name;
            comparisons = found;
            settings.comparedWith(ctx.repoConfig(), name);
            break;
          }
        }
      }
    } else if (declared && settings.targetConfig() == null && settings.detect()) {
      comparisons = Layouts.detect(paths, target, previous, settings.exclude());
    }
    List<Problem> problems = new ArrayList<>();
    if (declared && settings.targetConfig() != null) {
      List<String> t = declaredLayers(paths, settings.targetConfig(), "environments." + target + ".config", problems);
      List<String> p = declaredLayers(paths, settings.previousConfig(), "environments." + previous + ".config", problems);
      comparisons = List.of(new Layouts.Comparison("declared config", p, t));
    }
    if (!settings.valid()) {
      return new ParityView(settings, previous, declared, List.of(), List.of(), List.of());
    }
    List<NotRead> notRead = new ArrayList<>();
    Reader reader = new Reader(ctx, notRead);
    List<Pair> pairs = new ArrayList<>();
    for (Layouts.Comparison c : comparisons) {
      pairs.add(new Pair(c.label(), reader.side(c.previousFiles(), previous), reader.side(c.targetFiles(), target)));
    }
    return new ParityView(settings, previous, declared, pairs, problems, notRead);
  }

  private static List<String> declaredLayers(List<String> paths, List<Glob> globs, String key, List<Problem> problems) {
    List<String> out = new ArrayList<>();
    for (Glob g : globs) {
      List<String> matched = Layouts.declared(paths, List.of(g));
      if (matched.isEmpty()) {
        // A typo here would silently compare nothing: fail closed.
        problems.add(new Problem(null, 0, key + ": " + g + " matches no file at the candidate commit"));
      }
      for (String m : matched) {
        if (Format.of(m).isEmpty()) {
          problems.add(new Problem(m, 0, key + ": " + m + " is not a format parity reads (YAML, JSON, .properties,"
              + " .env, .tfvars, Dockerfile, version pins, pom.xml, build.gradle)"));
        } else if (!out.contains(m)) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** Parses each file once (base files are shared by both sides) and builds a side's effective keys. */
  private static final class Reader {
    private final RuleContext ctx;
    private final List<NotRead> notRead;
    private final Map<String, List<Entry>> parsed = new HashMap<>();

    Reader(RuleContext ctx, List<NotRead> notRead) {
      this.ctx = ctx;
      this.notRead = notRead;
    }

    Map<String, Entry> side(List<String> files, String env) {
      List<String> variants = EnvNames.variants(env);
      Map<String, Entry> out = new LinkedHashMap<>();
      for (String file : files) {
        // Keys of the environment's own files name it (DB_HOST_PROD, Deployment/api-prod): normalised so they
        // pair with the other environment's. Shared base files are left alone: they are the same on both sides.
        boolean own = EnvNames.mentions(file, variants);
        for (Entry e : parse(file)) {
          String key = own ? EnvNames.placeholder(e.key(), variants) : e.key();
          out.put(key, e.withKey(key));
        }
      }
      return out;
    }

    private List<Entry> parse(String file) {
      return parsed.computeIfAbsent(file, f -> {
        Optional<Format> format = Format.of(f);
        if (format.isEmpty()) {
          return List.of();
        }
        Optional<String> text = ctx.changes().readCandidateText(f);
        if (text.isEmpty()) {
          long size = ctx.changes().candidateOverLimit(f).orElse(-1);
          notRead.add(NotRead.tooLarge(f, size, ctx.changes().limits().maxFileBytes(),
              "Configuration file (its keys cannot be compared)"));
          return List.of();
        }
        try {
          return format.get().parse(f, text.get(), Layouts.loose(f), Layouts.flagFile(f));
        } catch (ConfigSyntaxException e) {
          notRead.add(NotRead.unparseable(f, "Configuration file", (e.line() > 0 ? "line " + e.line() + ": " : "")
              + e.getMessage() + "; its keys cannot be compared"));
          return List.of();
        }
      });
    }
  }

  ParitySettings settings() {
    return settings;
  }

  /** True when there is something to compare or prove: settings are valid and a previous environment is known. */
  boolean active() {
    return settings.valid() && previous != null;
  }

  /** The environment compared with the target (declared or inferred), null when none. */
  String previous() {
    return previous;
  }

  String target() {
    return settings.target();
  }

  /** True when the chain was declared (repository or server), false when inferred from file names. */
  boolean declared() {
    return declared;
  }

  List<Pair> pairs() {
    return pairs;
  }

  List<Problem> problems() {
    return problems;
  }

  /** Configuration files that could not be read (over the file limit, not parseable): compared as if absent. */
  List<NotRead> notRead() {
    return notRead;
  }

  Redactor redactor() {
    return redactor;
  }

  boolean ignored(String key) {
    return settings.ignoreKeys().stream().anyMatch(g -> g.matches(key));
  }

  boolean specific(String key) {
    return settings.specificKeys().stream().anyMatch(g -> g.matches(key));
  }

  /** True when either side's entry is a feature flag: in a flags file, under a flags section, or named like one. */
  boolean flag(String key, Entry a, Entry b) {
    if ((a != null && a.flagFile()) || (b != null && b.flagFile())) {
      return true;
    }
    if (settings.flagKeys().stream().anyMatch(g -> g.matches(key))) {
      return true;
    }
    String[] segments = key.split("\\.");
    for (int i = 0; i < segments.length - 1; i++) {
      if (FLAG_SEGMENTS.contains(segments[i].toLowerCase(Locale.ROOT).replaceAll("[-_]", ""))) {
        return true;
      }
    }
    return FLAG_NAME.matcher(segments[segments.length - 1]).matches();
  }
}
