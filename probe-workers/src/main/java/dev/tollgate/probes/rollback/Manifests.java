package dev.tollgate.probes.rollback;

import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.repo.ChangeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deploy manifests of the candidate tree, read once per evaluation and shared by the image and rollout rules:
 * every image reference (Kubernetes workloads, multi-document files included; Helm values trees; Kustomize
 * {@code images:}; docker-compose services; Dockerfile {@code FROM}) and every Kubernetes workload that rolls out
 * (Deployment, StatefulSet, DaemonSet).
 *
 * <p>The whole candidate tree is read, not only the files this deploy changes: a {@code :latest} that was already
 * there still makes "roll back to the previous image" undefined. Paths under {@code rollback.exclude}, vendored
 * directories and Helm chart templates (not YAML until rendered) are skipped. A manifest that cannot be read — over
 * the file limit, not valid YAML, an alias bomb — is kept in {@link #notRead()}: what it deploys is unknown, so
 * {@code rollback/read-incomplete} blocks on it (fail closed) instead of letting its workloads pass unseen.
 */
final class Manifests {
  /**
   * One image reference.
   *
   * @param where what sets it, for messages: {@code container `web` of Deployment `shop`}, {@code FROM}, ...
   * @param note how the reference was assembled, when not written whole (Helm's appVersion fallback), else null
   */
  record ImageUse(String path, int line, ImageRef ref, String where, String note) {}

  /** A Kubernetes workload that rolls out; {@code doc} is its whole document. */
  record Workload(String path, int line, String kind, String name, YamlTree.Node doc) {
    /** {@code Deployment `shop`}. */
    String label() {
      return kind + " `" + name + "`";
    }

    /** The pod template's spec. */
    YamlTree.Node podSpec() {
      return doc.path("spec", "template", "spec");
    }
  }

  private static final Object KEY = new Object();
  static final Set<String> ROLLING_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");
  private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
      "ReplicationController", "Job", "CronJob", "Pod");
  private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");
  private static final List<String> SKIP_DIRS = List.of("node_modules/", "vendor/", ".git/");
  private static final Pattern COMPOSE = Pattern.compile("(docker-)?compose([.-][^/]*)?\\.ya?ml", Pattern.CASE_INSENSITIVE);
  private static final Pattern VALUES = Pattern.compile("values([.-][^/]*)?\\.ya?ml", Pattern.CASE_INSENSITIVE);
  private static final Pattern DOCKERFILE = Pattern.compile("(Dockerfile|Containerfile)([.-][^/]*)?|[^/]+\\.(dockerfile|containerfile)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern IMAGE_KEY = Pattern.compile("(?i).*image");
  private static final Pattern FROM = Pattern.compile("(?i)^\\s*FROM\\s+(.*)$");
  private static final Pattern ARG = Pattern.compile("(?i)^\\s*ARG\\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\\S*))?\\s*$");
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private final List<ImageUse> images = new ArrayList<>();
  private final List<Workload> workloads = new ArrayList<>();
  /** Image uses of Kubernetes workloads, judged only where no Kustomization pins their image (see {@link #read}). */
  private final List<ImageUse> workloadImages = new ArrayList<>();
  private final Map<String, Kustomization> kustomizations = new LinkedHashMap<>();
  private final List<dev.tollgate.probes.api.NotRead> notRead = new ArrayList<>();

  private record KustomizeImage(String name, boolean pins) {}

  private record Kustomization(String dir, List<KustomizeImage> images, List<String> resources) {}

  private Manifests() {}

  /** The manifests of this evaluation's candidate, read on first use and shared through the context. */
  static Manifests of(RuleContext ctx) {
    return ctx.shared(KEY, () -> read(ctx.changes(), RollbackSettings.of(ctx)));
  }

  /** Every image reference found, in path order. */
  List<ImageUse> images() {
    return images;
  }

  /** Manifests (or files that may be manifests) that could not be read, in path order. */
  List<dev.tollgate.probes.api.NotRead> notRead() {
    return notRead;
  }

  /** Every Deployment, StatefulSet and DaemonSet found, in path order. */
  List<Workload> workloads() {
    return workloads;
  }

  static Manifests read(ChangeSet changes, RollbackSettings settings) {
    Manifests m = new Manifests();
    Map<String, String> appVersions = new HashMap<>();
    for (String path : changes.candidatePaths()) {
      if (fileName(path).equals("Chart.yaml") && !skipped(path, settings)) {
        Optional<String> text = m.text(changes, path);
        // A chart whose Chart.yaml cannot be read is still a chart: its templates are not manifests either.
        appVersions.put(dir(path), null);
        text.flatMap(t -> m.yaml(path, t).stream().findFirst())
            .ifPresent(doc -> appVersions.put(dir(path), doc.get("appVersion").string()));
      }
    }
    for (String path : changes.candidatePaths()) {
      if (skipped(path, settings) || inChartTemplates(path, appVersions.keySet())) {
        continue;
      }
      String name = fileName(path);
      String lower = name.toLowerCase(Locale.ROOT);
      if (DOCKERFILE.matcher(name).matches()) {
        m.text(changes, path).ifPresent(text -> m.dockerfile(path, text));
      } else if ((lower.endsWith(".yaml") || lower.endsWith(".yml")) && !name.equals("Chart.yaml")) {
        Optional<String> text = m.text(changes, path);
        if (text.isEmpty()) {
          continue;
        }
        if (lower.equals("kustomization.yaml") || lower.equals("kustomization.yml")) {
          m.kustomization(path, text.get());
        } else if (COMPOSE.matcher(name).matches()) {
          m.compose(path, text.get());
        } else if (VALUES.matcher(name).matches()) {
          String appVersion = appVersions.get(dir(path));
          for (YamlTree.Node doc : m.yaml(path, text.get())) {
            m.helmValues(path, doc, "", appVersions.containsKey(dir(path)), appVersion);
          }
        } else if (text.get().contains("kind:") && text.get().contains("containers")) {
          for (YamlTree.Node doc : m.yaml(path, text.get())) {
            m.kubernetes(path, doc);
          }
        }
      }
    }
    m.judgeWorkloadImages();
    m.images.sort((a, b) -> a.path().equals(b.path()) ? Integer.compare(a.line(), b.line()) : a.path().compareTo(b.path()));
    return m;
  }

  /** The file's text; when it is over the file limit, empty and kept in {@link #notRead}. */
  private Optional<String> text(ChangeSet changes, String path) {
    Optional<String> text = changes.readCandidateText(path);
    if (text.isEmpty()) {
      changes.candidateOverLimit(path).ifPresent(size -> notRead.add(dev.tollgate.probes.api.NotRead.tooLarge(path, size,
          changes.limits().maxFileBytes(), "possible deploy manifest")));
    }
    return text;
  }

  /** The YAML documents of a manifest; when it cannot be parsed, none, and the file is kept in {@link #notRead}. */
  private List<YamlTree.Node> yaml(String path, String text) {
    YamlTree.Parsed parsed = YamlTree.parse(text);
    if (parsed.problem() != null) {
      notRead.add(dev.tollgate.probes.api.NotRead.unparseable(path, "deploy manifest", parsed.problem()));
    }
    return parsed.documents();
  }

  private static boolean skipped(String path, RollbackSettings settings) {
    String p = "/" + path;
    for (String d : SKIP_DIRS) {
      if (p.contains("/" + d)) {
        return true;
      }
    }
    return settings.excluded(path);
  }

  /** Helm chart templates are Go templates: not YAML until rendered. Their values files are read instead. */
  private static boolean inChartTemplates(String path, Set<String> chartDirs) {
    int i = path.indexOf("templates/");
    while (i >= 0) {
      if (i == 0 ? chartDirs.contains("") : path.charAt(i - 1) == '/' && chartDirs.contains(path.substring(0, i - 1))) {
        return true;
      }
      i = path.indexOf("templates/", i + 1);
    }
    return false;
  }

  // ---------------------------------------------------------------- Kubernetes

  private void kubernetes(String path, YamlTree.Node doc) {
    String kind = doc.get("kind").string();
    if (kind.equals("List")) {
      for (YamlTree.Node item : doc.get("items").items()) {
        kubernetes(path, item);
      }
      return;
    }
    if (!WORKLOAD_KINDS.contains(kind) || doc.get("apiVersion").isAbsent()) {
      return;
    }
    String name = doc.path("metadata", "name").string();
    String label = kind + " `" + (name.isEmpty() ? "?" : name) + "`";
    YamlTree.Node pod = switch (kind) {
      case "Pod" -> doc.get("spec");
      case "CronJob" -> doc.path("spec", "jobTemplate", "spec", "template", "spec");
      default -> doc.path("spec", "template", "spec");
    };
    for (String list : CONTAINER_LISTS) {
      for (YamlTree.Node c : pod.get(list).items()) {
        YamlTree.Node image = c.get("image");
        String role = list.equals("containers") ? "container" : list.equals("initContainers") ? "init container"
            : "ephemeral container";
        String where = role + " `" + c.get("name").string() + "` of " + label;
        if (image.isScalar()) {
          ImageRef.parse(image.string()).ifPresent(ref -> workloadImages.add(new ImageUse(path, image.line(), ref, where, null)));
        }
      }
    }
    if (ROLLING_KINDS.contains(kind)) {
      workloads.add(new Workload(path, doc.get("kind").line(), kind, name.isEmpty() ? "?" : name, doc));
    }
  }

  // ---------------------------------------------------------------- Kustomize

  private void kustomization(String path, String text) {
    List<YamlTree.Node> docs = yaml(path, text);
    if (docs.isEmpty()) {
      return;
    }
    YamlTree.Node k = docs.get(0);
    String dir = dir(path);
    List<KustomizeImage> entries = new ArrayList<>();
    for (YamlTree.Node entry : k.get("images").items()) {
      String name = entry.get("name").string();
      if (name.isEmpty()) {
        continue;
      }
      String newName = entry.get("newName").string();
      String repository = newName.isEmpty() ? name : newName;
      YamlTree.Node tag = entry.get("newTag");
      YamlTree.Node digest = entry.get("digest");
      boolean pins = !tag.string().isEmpty() || !digest.string().isEmpty();
      entries.add(new KustomizeImage(name, pins));
      if (pins) {
        int line = !digest.string().isEmpty() ? digest.line() : tag.line();
        ImageRef.parse(repository).map(r -> ImageRef.of(r.name(), tag.string(), digest.string())).ifPresent(ref ->
            images.add(new ImageUse(path, line, ref, "Kustomize `images` entry `" + name + "`", null)));
      }
    }
    List<String> resources = new ArrayList<>();
    for (String list : List.of("resources", "bases", "components")) {
      for (YamlTree.Node r : k.get(list).items()) {
        String ref = r.string();
        if (ref.isEmpty() || ref.contains("://") || ref.startsWith("github.com/") || ref.contains("?ref=")) {
          continue;
        }
        String resolved = normalize(dir.isEmpty() ? ref : dir + "/" + ref);
        if (resolved != null) {
          resources.add(resolved);
        }
      }
    }
    kustomizations.put(dir, new Kustomization(dir, entries, resources));
  }

  /**
   * Judges the images of Kubernetes workloads. A workload reached from Kustomizations is judged as rendered: when
   * every root Kustomization that includes it pins its image (by {@code newTag} or {@code digest}, anywhere on the
   * way down), the tag in the base file is only a placeholder and the {@code images:} entries are judged instead.
   */
  private void judgeWorkloadImages() {
    Map<String, Map<String, Set<String>>> pinnedByFile = new HashMap<>(); // file -> root -> image names pinned
    Set<String> referenced = new HashSet<>();
    for (Kustomization k : kustomizations.values()) {
      for (String r : k.resources()) {
        if (kustomizations.containsKey(r)) {
          referenced.add(r);
        }
      }
    }
    for (Kustomization root : kustomizations.values()) {
      if (!referenced.contains(root.dir())) {
        walk(root, root.dir(), Set.of(), new ArrayDeque<>(), pinnedByFile);
      }
    }
    for (ImageUse use : workloadImages) {
      Map<String, Set<String>> byRoot = pinnedByFile.get(use.path());
      boolean rendered = byRoot != null && !byRoot.isEmpty()
          && byRoot.values().stream().allMatch(names -> names.contains(use.ref().name()));
      if (!rendered) {
        images.add(use);
      }
    }
  }

  private void walk(Kustomization k, String root, Set<String> pinned, Deque<String> stack,
      Map<String, Map<String, Set<String>>> pinnedByFile) {
    if (stack.contains(k.dir())) {
      return; // a cycle: kustomize refuses it, and so do we
    }
    stack.push(k.dir());
    Set<String> names = new HashSet<>(pinned);
    k.images().stream().filter(KustomizeImage::pins).forEach(i -> names.add(i.name()));
    for (String r : k.resources()) {
      Kustomization child = kustomizations.get(r);
      if (child != null) {
        walk(child, root, names, stack, pinnedByFile);
      } else {
        // Two paths from one root to one file: only names pinned on both count.
        pinnedByFile.computeIfAbsent(r, x -> new HashMap<>()).merge(root, Set.copyOf(names), (a, b) -> {
          Set<String> both = new HashSet<>(a);
          both.retainAll(b);
          return both;
        });
      }
    }
    stack.pop();
  }

  // ---------------------------------------------------------------- Helm values

  private void helmValues(String path, YamlTree.Node node, String prefix, boolean chartValues, String appVersion) {
    for (Map.Entry<String, YamlTree.Node> e : node.fields().entrySet()) {
      String key = e.getKey();
      YamlTree.Node v = e.getValue();
      String at = prefix.isEmpty() ? key : prefix + "." + key;
      if (v.isMap() && IMAGE_KEY.matcher(key).matches()
          && (v.get("repository").isScalar() || v.get("tag").isScalar() || v.get("digest").isScalar())) {
        helmImage(path, v, at, chartValues, appVersion);
      } else if (v.isScalar() && IMAGE_KEY.matcher(key).matches()) {
        Optional<ImageRef> ref = ImageRef.parse(v.string());
        if (ref.isEmpty()) {
          continue;
        }
        ImageRef r = ref.get();
        if (r.tag() == null && r.digest() == null) {
          // {image: nginx, tag: 1.27} and {image: nginx, imageTag: 1.27}: the tag lives beside the name.
          for (String sibling : List.of(key + "Tag", "tag", "imageTag")) {
            if (node.get(sibling).isScalar() && !node.get(sibling).string().isEmpty()) {
              r = ImageRef.of(r.name(), node.get(sibling).string(), null);
              break;
            }
          }
        }
        images.add(new ImageUse(path, v.line(), r, "`" + at + "` (Helm values)", null));
      } else if (v.isMap()) {
        helmValues(path, v, at, chartValues, appVersion);
      } else if (v.isList()) {
        int i = 0;
        for (YamlTree.Node item : v.items()) {
          if (item.isMap()) {
            helmValues(path, item, at + "[" + i + "]", chartValues, appVersion);
          }
          i++;
        }
      }
    }
  }

  /** Helm's split form: {@code image: {registry, repository, tag, digest}}. */
  private void helmImage(String path, YamlTree.Node image, String at, boolean chartValues, String appVersion) {
    String registry = image.get("registry").string();
    String repository = image.get("repository").string();
    String name = registry.isEmpty() ? repository : registry + "/" + repository;
    YamlTree.Node tagNode = image.get("tag");
    String tag = tagNode.string();
    String digest = image.get("digest").string();
    String note = null;
    if (repository.isEmpty()) {
      if (tag.isEmpty() && digest.isEmpty()) {
        return;
      }
      // An environment's override ({image: {tag: latest}}) names only the tag; the chart names the repository.
      name = "…";
      note = "the repository is set in another values file";
    } else if (tag.isEmpty() && digest.isEmpty()) {
      if (!chartValues) {
        return; // an override file without a tag keeps whatever the chart or another values file sets
      }
      // Charts conventionally default an empty tag to the chart's appVersion.
      tag = appVersion == null ? "" : appVersion;
      note = tag.isEmpty() ? "no `tag` here and no `appVersion` in Chart.yaml" : "`tag` empty: the chart's appVersion " + tag;
    }
    String t = tag;
    String n = note;
    int line = !tagNode.isMissing() ? tagNode.line() : !image.get("digest").isMissing() ? image.get("digest").line()
        : image.get("repository").line();
    Optional<ImageRef> base = name.equals("…") ? Optional.of(ImageRef.of(name, null, null)) : ImageRef.parse(name);
    base.map(r -> ImageRef.of(r.name(), t, digest))
        .ifPresent(ref -> images.add(new ImageUse(path, line, ref, "`" + at + "` (Helm values)", n)));
  }

  // ---------------------------------------------------------------- docker-compose

  private void compose(String path, String text) {
    for (YamlTree.Node doc : yaml(path, text)) {
      for (Map.Entry<String, YamlTree.Node> svc : doc.get("services").fields().entrySet()) {
        YamlTree.Node image = svc.getValue().get("image");
        // With build: the image names what Compose builds from this checkout, not something pulled.
        if (!image.isScalar() || !svc.getValue().get("build").isMissing()) {
          continue;
        }
        ImageRef.parse(image.string()).ifPresent(ref -> images.add(new ImageUse(path, image.line(), ref,
            "`services." + svc.getKey() + ".image` (Compose)", null)));
      }
    }
  }

  // ---------------------------------------------------------------- Dockerfile

  private void dockerfile(String path, String text) {
    Map<String, String> args = new HashMap<>();
    Set<String> stages = new HashSet<>();
    boolean seenFrom = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      StringBuilder logical = new StringBuilder(lines[i].stripTrailing());
      while (logical.length() > 0 && logical.charAt(logical.length() - 1) == '\\' && i + 1 < lines.length) {
        logical.setLength(logical.length() - 1);
        logical.append(' ').append(lines[++i].strip());
      }
      String line = logical.toString();
      if (line.strip().startsWith("#")) {
        continue;
      }
      Matcher arg = ARG.matcher(line);
      if (arg.matches() && !seenFrom) {
        // Only ARGs before the first FROM are visible to FROM lines.
        args.put(arg.group(1), arg.group(2) == null ? null : unquote(arg.group(2)));
        continue;
      }
      Matcher from = FROM.matcher(line);
      if (!from.matches()) {
        continue;
      }
      seenFrom = true;
      List<String> words = new ArrayList<>(List.of(from.group(1).strip().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      if (words.isEmpty()) {
        continue;
      }
      String image = substitute(words.get(0), args);
      // An earlier stage of this build is not pulled; this line's own stage name counts only for later lines.
      boolean earlierStage = image != null && stages.contains(image.toLowerCase(Locale.ROOT));
      if (words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")) {
        stages.add(words.get(2).toLowerCase(Locale.ROOT));
      }
      if (image == null || image.equalsIgnoreCase("scratch") || earlierStage) {
        continue; // an ARG without a value (filled in by the build), the empty image, or an earlier stage
      }
      ImageRef.parse(image).ifPresent(ref -> images.add(new ImageUse(path, lineNo, ref, "`FROM` (Dockerfile)", null)));
    }
  }

  /** {@code ${VAR}}, {@code ${VAR:-default}} and {@code $VAR} from ARG defaults; null when one has no value. */
  private static String substitute(String word, Map<String, String> args) {
    Matcher m = VAR.matcher(word);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3);
      String value = args.get(name);
      if (value == null || value.isEmpty()) {
        value = m.group(2);
      }
      if (value == null || value.isEmpty()) {
        return null;
      }
      m.appendReplacement(b, Matcher.quoteReplacement(value));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static String unquote(String s) {
    return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
        ? s.substring(1, s.length() - 1) : s;
  }

  // ---------------------------------------------------------------- paths

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** Resolves {@code .} and {@code ..}; null when it climbs out of the repository. */
  static String normalize(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
    return String.join("/", parts);
  }
}
