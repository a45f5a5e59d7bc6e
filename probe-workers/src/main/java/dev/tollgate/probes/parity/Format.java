package dev.tollgate.probes.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The file formats parity reads, recognised by file name, and how each becomes {@link Entry entries}. */
enum Format {
  YAML, JSON, PROPERTIES, DOTENV, TFVARS, DOCKERFILE, TOOL_VERSIONS, PIN, SDKMANRC, MAVEN, GRADLE;

  /** The format of {@code path}, empty when parity does not read such files. */
  static Optional<Format> of(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
      return Optional.of(YAML);
    }
    if (lower.endsWith(".json")) {
      return Optional.of(JSON); // also *.tfvars.json
    }
    if (lower.endsWith(".properties")) {
      return Optional.of(PROPERTIES);
    }
    if (lower.endsWith(".tfvars")) {
      return Optional.of(TFVARS);
    }
    if (lower.equals(".env") || lower.startsWith(".env.") || lower.endsWith(".env")) {
      return Optional.of(DOTENV);
    }
    if (lower.equals("dockerfile") || lower.startsWith("dockerfile.") || lower.endsWith(".dockerfile")) {
      return Optional.of(DOCKERFILE);
    }
    if (lower.equals(".tool-versions")) {
      return Optional.of(TOOL_VERSIONS);
    }
    if (RuntimeFiles.PIN_FILES.containsKey(lower)) {
      return Optional.of(PIN);
    }
    if (lower.equals(".sdkmanrc")) {
      return Optional.of(SDKMANRC);
    }
    if (lower.equals("pom.xml")) {
      return Optional.of(MAVEN);
    }
    if (lower.equals("build.gradle") || lower.equals("build.gradle.kts")) {
      return Optional.of(GRADLE);
    }
    return Optional.empty();
  }

  /**
   * Parses {@code text} (the content of {@code path}) into entries.
   *
   * @param loose compare types loosely (the consumer coerces strings, e.g. Spring)
   * @param flagFile every key is a feature flag
   */
  List<Entry> parse(String path, String text, boolean loose, boolean flagFile) throws ConfigSyntaxException {
    List<Entry> out = new ArrayList<>();
    switch (this) {
      case YAML -> {
        for (Node doc : YamlReader.read(text)) {
          addFlat(out, Flattener.flatten(doc, kubernetesPrefix(doc)), path, loose, flagFile);
        }
      }
      case JSON -> addFlat(out, Flattener.flatten(JsonReader.read(text), ""), path, loose, flagFile);
      case TFVARS -> addFlat(out, Flattener.flatten(TfvarsParser.parse(text), ""), path, loose, flagFile);
      case PROPERTIES -> {
        for (PropertiesParser.Property p : PropertiesParser.parse(text)) {
          out.add(new Entry(p.key(), Value.string(p.value()), path, p.line(), Entry.Category.CONFIG, true, flagFile));
        }
      }
      case DOTENV -> {
        for (DotenvParser.Assignment a : DotenvParser.parse(text)) {
          out.add(new Entry(a.key(), Value.string(a.value()), path, a.line(), Entry.Category.CONFIG, true, flagFile));
        }
      }
      case DOCKERFILE -> addFacts(out, RuntimeFiles.dockerfile(text), path, Entry.Category.IMAGE);
      case TOOL_VERSIONS -> addFacts(out, RuntimeFiles.toolVersions(text), path, Entry.Category.RUNTIME);
      case PIN -> {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        addFacts(out, RuntimeFiles.pin(RuntimeFiles.PIN_FILES.get(name), text), path, Entry.Category.RUNTIME);
      }
      case SDKMANRC -> addFacts(out, RuntimeFiles.sdkmanrc(text), path, Entry.Category.RUNTIME);
      case MAVEN -> addFacts(out, RuntimeFiles.pom(text), path, Entry.Category.RUNTIME);
      case GRADLE -> addFacts(out, RuntimeFiles.gradle(text), path, Entry.Category.RUNTIME);
    }
    return out;
  }

  /**
   * Kubernetes manifests are keyed by {@code Kind/name}, so a multi-document file pairs each object with its
   * counterpart in the other environment's file whatever the order of documents.
   */
  private static String kubernetesPrefix(Node doc) {
    if (doc.type() != Value.Type.MAP) {
      return "";
    }
    Node kind = doc.fields().get("kind");
    Node metadata = doc.fields().get("metadata");
    Node name = metadata == null ? null : metadata.fields().get("name");
    if (kind == null || !kind.isScalar() || name == null || !name.isScalar()) {
      return "";
    }
    return kind.text() + "/" + name.text();
  }

  private static void addFlat(List<Entry> out, List<Flattener.Flat> flats, String path, boolean loose, boolean flagFile) {
    for (Flattener.Flat f : flats) {
      out.add(new Entry(f.key(), f.value(), path, f.line(), Entry.Category.CONFIG, loose || f.loose(), flagFile));
    }
  }

  private static void addFacts(List<Entry> out, List<RuntimeFiles.Fact> facts, String path, Entry.Category category) {
    for (RuntimeFiles.Fact f : facts) {
      // Versions and image references are text: loose, so they are shown unquoted.
      out.add(new Entry(f.key(), Value.string(f.value()), path, f.line(), category, true, false));
    }
  }
}
