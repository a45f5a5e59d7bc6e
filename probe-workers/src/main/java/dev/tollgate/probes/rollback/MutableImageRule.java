package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** A deploy manifest names an image by {@code :latest}, no tag, or a moving tag, so "the previous image" is undefined. */
final class MutableImageRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/mutable-image");

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "A deploy manifest names an image by :latest, no tag or a moving tag: rolling back to the previous image is undefined.";
  }

  @Override
  public String help() {
    return "Pin the image by digest (image@sha256:…), or by an immutable release tag, and let CI write it on each release.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    RollbackSettings settings = RollbackSettings.of(ctx);
    List<RuleViolation> out = new ArrayList<>();
    for (Manifests.ImageUse use : Manifests.of(ctx).images()) {
      ImageRef ref = use.ref();
      String subject = "`" + ref.raw() + "` in " + use.where();
      String note = use.note() == null ? "" : " (" + use.note() + ")";
      // A Helm override may name only the tag: the repository is then the chart's, unknown here.
      String repo = ref.name().equals("…") ? "IMAGE" : ref.name();
      String pin = "Pin it by digest: `" + repo + "@sha256:<digest>`"
          + " (`docker buildx imagetools inspect " + repo + (ref.tag() == null ? "" : ":" + ref.tag())
          + "` prints it), or use an immutable release tag, and let CI write the reference on each release.";
      RuleViolation v = switch (ref.pinning(settings.movingTags())) {
        case DIGEST, VERSION -> null;
        case LATEST -> RuleViolation.at(use.path(), use.line(), subject + note + ": `:latest` names whatever was pushed"
            + " last, so \"roll back to the previous image\" may pull the new one again.");
        case UNTAGGED -> RuleViolation.at(use.path(), use.line(), subject + note + " has no tag, so the runtime pulls"
            + " `:latest`: \"roll back to the previous image\" may pull the new one again.");
        case MOVING -> RuleViolation.at(use.path(), use.line(), subject + note + " uses `" + ref.tag() + "`, a tag that"
            + " is moved to newer images, so \"roll back to the previous image\" is undefined.");
        case BAD_DIGEST -> RuleViolation.at(use.path(), use.line(), subject + ": `@" + ref.digest() + "` is not a"
            + " digest (expected `sha256:` and 64 hex digits), so the pull fails and nothing pins the image.");
        case FLOATING -> RuleViolation.at(use.path(), use.line(), subject + note + " uses the floating version tag `"
            + ref.tag() + "`, re-pointed at every patch release: a rebuild or rollback may get a different image"
            + " than the one that ran.").withSeverity(settings.floatingTags());
      };
      if (v != null) {
        out.add(v.withFix(pin));
      }
    }
    return out;
  }
}
