package dev.tollgate.probes.parity;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Two environments run different container images — repository, tag or digest — or different base images. */
final class ImageDriftRule implements Rule {
  static final RuleId ID = RuleId.of("parity/image-drift");

  /** One image reference of one side, with the entry it is reported at. */
  record Image(String ref, Entry at) {}

  private static final Pattern IMAGE_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@${}-]*");
  private static final Set<String> HELM_PARTS = Set.of("registry", "repository", "tag", "digest");
  private static final Set<String> KUSTOMIZE_PARTS = Set.of("newname", "newtag", "digest");

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.WARN;
  }

  @Override
  public String summary() {
    return "Two environments of the promotion chain run different container or base images.";
  }

  @Override
  public String help() {
    return "Promote the image staging ran: pin the same tag or, better, the same digest in both environments.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ParityView view = ParityView.of(ctx);
    if (!view.active()) {
      return List.of();
    }
    List<Differences.Diff> diffs = new ArrayList<>();
    for (ParityView.Pair pair : view.pairs()) {
      Map<String, Image> prev = images(pair.previous(), view);
      Map<String, Image> targ = images(pair.target(), view);
      Set<String> ids = new LinkedHashSet<>(prev.keySet());
      ids.addAll(targ.keySet());
      for (String id : ids) {
        Image a = prev.get(id);
        Image b = targ.get(id);
        if (a != null && b != null && a.ref().equals(b.ref())) {
          continue;
        }
        boolean secret = (a != null && Redactor.secretValue(Value.string(a.ref())))
            || (b != null && Redactor.secretValue(Value.string(b.ref())));
        diffs.add(new Differences.Diff(id, a == null ? null : a.at(), b == null ? null : b.at(), show(a, secret),
            show(b, secret), ""));
      }
    }
    return Differences.grouped(this, view, diffs,
        n -> Differences.count(n, "image") + " differing between " + view.previous() + " and " + view.target());
  }

  private static String show(Image i, boolean secret) {
    return i == null ? "(not set)" : secret ? Redactor.REDACTED : i.ref();
  }

  /**
   * Image references of one side, by where they are set: {@code FROM} lines, keys named {@code *image}, Helm's
   * {@code image.repository/tag/digest} and Kustomize's {@code images[name].newName/newTag/digest}.
   */
  static Map<String, Image> images(Map<String, Entry> side, ParityView view) {
    Map<String, Image> out = new LinkedHashMap<>();
    Map<String, Map<String, Entry>> parts = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : side.entrySet()) {
      String key = e.getKey();
      Entry entry = e.getValue();
      if (view.ignored(key)) {
        continue;
      }
      if (entry.category() == Entry.Category.IMAGE) {
        out.put(key, new Image(entry.value().text(), entry));
        continue;
      }
      if (entry.category() != Entry.Category.CONFIG) {
        continue;
      }
      String leaf = entry.leaf().toLowerCase(Locale.ROOT);
      if (wholeImage(entry)) {
        out.put(key, new Image(entry.value().text(), entry));
      } else if (imagePart(entry)) {
        parts.computeIfAbsent(key.substring(0, key.lastIndexOf('.')), k -> new LinkedHashMap<>()).put(leaf, entry);
      }
    }
    for (Map.Entry<String, Map<String, Entry>> p : parts.entrySet()) {
      Map<String, Entry> part = p.getValue();
      String parentLeaf = p.getKey().substring(p.getKey().lastIndexOf('.') + 1);
      String repository;
      if (parentLeaf.startsWith("images[")) {
        String name = parentLeaf.substring("images[".length(), parentLeaf.length() - 1);
        repository = text(part.get("newname"), name);
      } else {
        String registry = text(part.get("registry"), "");
        repository = (registry.isEmpty() ? "" : registry + "/") + text(part.get("repository"), "");
      }
      String tag = text(part.containsKey("newtag") ? part.get("newtag") : part.get("tag"), "");
      String digest = text(part.get("digest"), "");
      String ref = repository + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
      Entry at = part.getOrDefault("tag", part.getOrDefault("newtag", part.values().iterator().next()));
      out.put(p.getKey(), new Image(ref, at));
    }
    return out;
  }

  /**
   * True for keys this rule owns: a whole image reference or a part of one. parity/missing-key leaves them here,
   * because pinning a digest in production only is drift to see, not a broken configuration.
   */
  static boolean imageKey(Entry e) {
    return e.category() == Entry.Category.IMAGE
        || (e.category() == Entry.Category.CONFIG && (wholeImage(e) || imagePart(e)));
  }

  private static boolean wholeImage(Entry e) {
    return e.leaf().toLowerCase(Locale.ROOT).endsWith("image") && e.value().type() == Value.Type.STRING
        && IMAGE_REF.matcher(e.value().text()).matches();
  }

  private static boolean imagePart(Entry e) {
    // Scalars only; a tag may be a YAML number (tag: 1.4).
    if (!e.value().scalar() || e.value().type() == Value.Type.NULL) {
      return false;
    }
    int dot = e.key().lastIndexOf('.');
    if (dot < 0) {
      return false;
    }
    String parent = e.key().substring(0, dot);
    String parentLeaf = parent.substring(parent.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String leaf = e.leaf().toLowerCase(Locale.ROOT);
    return (parentLeaf.endsWith("image") && HELM_PARTS.contains(leaf))
        || (parentLeaf.startsWith("images[") && KUSTOMIZE_PARTS.contains(leaf));
  }

  private static String text(Entry e, String otherwise) {
    return e == null ? otherwise : e.value().text();
  }
}
