package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the Flyway/Spring settings are read from: by name, at any depth (the name is tried before the path). */
class FrameworkConfigFilesTest {
  private static final String LOCK_OFF = "spring:\n  flyway:\n    postgresql:\n      transactional-lock: false\n";

  @TempDir
  Path dir;

  private MigrationSet.FrameworkConfig scan(String path, String content) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "#\n").commit(path, content);
    try (ChangeSet changes = repo.changeSet()) {
      return MigrationSet.FrameworkConfig.scan(changes);
    }
  }

  @Test
  void readsASettingsFileAtTheRoot() {
    assertEquals("application.yml", scan("application.yml", LOCK_OFF).source());
  }

  @Test
  void readsASettingsFileDeepInTheTree() {
    assertEquals("svc/src/main/resources/application-prod.yml",
        scan("svc/src/main/resources/application-prod.yml", LOCK_OFF).source());
  }

  @Test
  void ignoresAFileWhoseDirectoryOnlyLooksLikeASettingsName() {
    assertNull(scan("application.yml/notes.yml", LOCK_OFF).source());
    assertNull(scan("config/application.yml.bak", LOCK_OFF).source());
  }

  @Test
  void ignoresTestResources() {
    assertNull(scan("svc/src/test/resources/application.yml", LOCK_OFF).source());
  }
}
