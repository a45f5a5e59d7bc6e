package dev.tollgate.probes.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How firmly each kind of reference names one image: the table behind rollback/mutable-image. */
class ImageRefTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "nginx, UNTAGGED",
      "nginx:latest, LATEST",
      "nginx:LATEST, LATEST",
      "localhost:5000/acme/app, UNTAGGED",
      "localhost:5000/acme/app:1.2.3, VERSION",
      "ghcr.io/acme/app:main, MOVING",
      "ghcr.io/acme/app:stable, MOVING",
      "ghcr.io/acme/app:edge, MOVING",
      "ghcr.io/acme/app:dev, MOVING",
      "node:current-alpine, MOVING",
      "node:lts-slim, MOVING",
      "ghcr.io/acme/app:latest-arm64, MOVING",
      "ghcr.io/acme/app:2.1-snapshot, MOVING",
      "ghcr.io/acme/app:pr-1207, MOVING",
      "python:slim, MOVING",
      "debian:bookworm, MOVING",
      "eclipse-temurin:17-jre, FLOATING",
      "postgres:16, FLOATING",
      "python:3.12-slim-bookworm, FLOATING",
      "ghcr.io/acme/app:v2, FLOATING",
      "ghcr.io/acme/app:1.x, FLOATING",
      "nginx:1.27.2, VERSION",
      "nginx:1.27.2-alpine, VERSION",
      "eclipse-temurin:17.0.13_11-jre, VERSION",
      "ghcr.io/acme/app:v2.31.0, VERSION",
      "ghcr.io/acme/app:3f2c9a1, VERSION",
      "ghcr.io/acme/app:main-3f2c9a1b, VERSION",
      "ghcr.io/acme/app:sha-3f2c9a1b, VERSION",
      "ghcr.io/acme/app:20261126, VERSION",
      "ghcr.io/acme/app:2026-11-26, VERSION",
      "ghcr.io/acme/app:build42, VERSION",
      "ghcr.io/acme/app@sha256:0000000000000000000000000000000000000000000000000000000000000000, DIGEST",
      "ghcr.io/acme/app:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000, DIGEST",
      "ghcr.io/acme/app@sha256:abc, BAD_DIGEST"})
  void classifies(String reference, ImageRef.Pinning expected) {
    assertEquals(expected, ImageRef.parse(reference).orElseThrow().pinning(List.of()));
  }

  @Test
  void splitsRegistryRepositoryTagAndDigest() {
    ImageRef ref = ImageRef.parse("registry.local:5000/acme/app:1.2@sha256:" + "f".repeat(64)).orElseThrow();
    assertEquals("registry.local:5000/acme/app", ref.name());
    assertEquals("1.2", ref.tag());
    assertEquals("sha256:" + "f".repeat(64), ref.digest());
    assertEquals("acme/app:9", ImageRef.of("acme/app", "9", "").raw());
  }

  @Test
  void theRepositorysOwnMovingTagsWinOverVersionLooks() {
    ImageRef ref = ImageRef.parse("acme/app:release-2026-11").orElseThrow();
    assertEquals(ImageRef.Pinning.FLOATING, ImageRef.parse("acme/app:2026-11").orElseThrow().pinning(List.of()));
    assertEquals(ImageRef.Pinning.MOVING, ref.pinning(List.of(PathPattern.of("release-*"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"${IMAGE}", "{{ .Values.image }}", "$(IMAGE_REF)", "", "not an image", "acme/app:bad tag",
      "acme/app:", "<registry>/app"})
  void leavesTemplatesAndNonReferencesAlone(String text) {
    assertTrue(ImageRef.parse(text).isEmpty(), text);
  }
}
