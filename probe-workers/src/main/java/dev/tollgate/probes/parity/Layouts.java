package dev.tollgate.probes.parity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds each environment's configuration files by the conventions of common layouts, and pairs them across two
 * environments by their <em>logical name</em>: the path with the environment's name replaced by {@code {env}}
 * ({@code deploy/values-{env}.yaml}). Known layouts also name the base file both environments inherit
 * ({@code values.yaml}, {@code application.yml}, {@code .env}, {@code terraform.tfvars}), so a key the base sets
 * for both is not reported as missing. Any other file whose path names the environment is compared only when the
 * other environment has the same file: a lone {@code apps/dev/package.json} is not an environment.
 */
final class Layouts {
  /** Files of two environments to compare; each side is a list of layers, later layers win. */
  record Comparison(String label, List<String> previousFiles, List<String> targetFiles) {}

  /** A known layout: its logical-name pattern and where its base file lives (group 1 = directory). */
  private record Known(String name, Pattern logical, List<String> bases) {}

  private static final List<Known> KNOWN = List.of(
      new Known("spring", p("(^|.*/)(application|bootstrap)-\\{env}\\.(ya?ml|properties)"),
          List.of("$2.yml", "$2.yaml", "$2.properties")),
      new Known("helm", p("(^|.*/)(?:values[-.]\\{env}|\\{env}[-.]values)\\.ya?ml"), List.of("values.yaml", "values.yml")),
      new Known("dotenv", p("(^|.*/)(?:\\.env\\.\\{env}|\\{env}\\.env)"), List.of(".env")),
      new Known("dotnet", p("(^|.*/)appsettings\\.\\{env}\\.json"), List.of("appsettings.json")),
      new Known("node-config", p("(^|.*/)(?:config|configs|conf|settings)/\\{env}\\.(?:json|ya?ml|properties)"),
          List.of("default.json", "default.yaml", "default.yml", "default.properties")),
      new Known("flags", p("(^|.*/)(?:flags|features|feature-flags|toggles)/\\{env}\\.(?:json|ya?ml)"), List.of()),
      new Known("terraform", p("(^|.*/)(?:\\{env}(?:\\.auto)?|terraform\\.\\{env})\\.tfvars(?:\\.json)?"),
          List.of("terraform.tfvars")),
      new Known("dockerfile", p("(^|.*/)(?:Dockerfile\\.\\{env}|\\{env}\\.Dockerfile)"), List.of()),
      new Known("kustomize", p("(^|.*/)overlays/\\{env}/.*"), List.of()));

  /** Paths never read as environment configuration: tests, vendored code, CI definitions, docs. */
  private static final Pattern DEFAULT_EXCLUDED = Pattern.compile(
      "(?i)(^|.*/)(src/test|tests?|__tests__|spec|testdata|test-data|fixtures|node_modules|vendor|\\.git|\\.github"
          + "|\\.gitlab|\\.circleci|docs?|examples?|samples?)/.*|\\.tollgate\\.ya?ml");
  private static final Pattern FLAG_FILE = Pattern.compile("(?i)(^|.*/)(flags|features|feature-flags|toggles)/[^/]+");
  private static final Pattern SPRING_FILE = Pattern.compile("(?i)(^|.*/)(application|bootstrap)(-[^/]*)?\\.(ya?ml|properties)");

  private Layouts() {}

  private static Pattern p(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  /** True when parity never reads {@code path}. */
  static boolean excluded(String path, List<Glob> extra) {
    if (DEFAULT_EXCLUDED.matcher(path).matches()) {
      return true;
    }
    for (Glob g : extra) {
      if (g.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** Spring coerces "8080" to a number and back, so its files compare types loosely. */
  static boolean loose(String path) {
    return SPRING_FILE.matcher(path).matches();
  }

  /** Every key of a file under {@code flags/} (or features/, toggles/) is a feature flag. */
  static boolean flagFile(String path) {
    return FLAG_FILE.matcher(path).matches();
  }

  /** The comparisons detected for {@code previous} → {@code target}, by logical name. */
  static List<Comparison> detect(List<String> paths, String target, String previous, List<Glob> exclude) {
    List<String> tv = EnvNames.variants(target);
    List<String> pv = EnvNames.variants(previous);
    if (tv.stream().anyMatch(pv::contains)) {
      return List.of(); // two spellings of one environment: nothing to compare
    }
    Set<String> all = Set.copyOf(paths);
    Map<String, List<String>> targetFiles = new LinkedHashMap<>();
    Map<String, List<String>> previousFiles = new LinkedHashMap<>();
    for (String path : paths) {
      // The file name first: most paths of a tree (sources) have no config format, and the exclusion patterns
      // ((^|.*/)... alternations) cost more than the name's suffix.
      if (Format.of(path).isEmpty() || excluded(path, exclude)) {
        continue;
      }
      boolean t = EnvNames.mentions(path, tv);
      boolean pr = EnvNames.mentions(path, pv);
      if (t == pr) {
        continue; // names neither, or both (a migration script from one to the other): not one environment's file
      }
      String logical = family(EnvNames.placeholder(path, t ? tv : pv));
      (t ? targetFiles : previousFiles).computeIfAbsent(logical, k -> new ArrayList<>()).add(path);
    }
    Set<String> logicals = new TreeSet<>(targetFiles.keySet());
    logicals.addAll(previousFiles.keySet());
    List<Comparison> out = new ArrayList<>();
    for (String logical : logicals) {
      Known known = known(logical);
      boolean both = targetFiles.containsKey(logical) && previousFiles.containsKey(logical);
      if (known == null && !both) {
        continue;
      }
      List<String> base = known == null ? List.of() : bases(known, logical, all);
      List<String> prev = new ArrayList<>(base);
      prev.addAll(previousFiles.getOrDefault(logical, List.of()));
      List<String> targ = new ArrayList<>(base);
      targ.addAll(targetFiles.getOrDefault(logical, List.of()));
      out.add(new Comparison(logical, prev, targ));
    }
    return out;
  }

  /** The layers matched by declared globs, in declaration order (files of one glob in path order). */
  static List<String> declared(List<String> paths, List<Glob> globs) {
    List<String> out = new ArrayList<>();
    for (Glob g : globs) {
      for (String path : paths) {
        if (g.matches(path) && !out.contains(path)) {
          out.add(path);
        }
      }
    }
    return out;
  }

  /**
   * One logical name per format family: {@code .yml} and {@code .yaml} are one file to their readers, and Spring
   * reads {@code application-prod.properties} and {@code application-prod.yml} as one profile.
   */
  static String family(String logical) {
    String out = logical.replaceAll("(?i)\\.yml$", ".yaml");
    if (SPRING_FILE.matcher(out).matches()) {
      out = out.replaceAll("(?i)\\.properties$", ".yaml");
    }
    return out;
  }

  private static Known known(String logical) {
    for (Known k : KNOWN) {
      if (k.logical().matcher(logical).matches()) {
        return k;
      }
    }
    return null;
  }

  private static List<String> bases(Known known, String logical, Set<String> all) {
    Matcher m = known.logical().matcher(logical);
    if (!m.matches()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String base : known.bases()) {
      String name = base;
      for (int g = m.groupCount(); g >= 2; g--) {
        name = name.replace("$" + g, m.group(g) == null ? "" : m.group(g));
      }
      String path = m.group(1) + name;
      if (all.contains(path)) {
        out.add(path);
      }
    }
    return out;
  }
}
