package dev.tollgate.probes.parity;

import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builders for parity tests: repositories from inline files or from checked-in fixture directories, and history. */
final class ParityFixtures {
  /** Checked-in layouts, read from the source tree (surefire runs in the module directory). */
  static final Path ROOT = Path.of("src/test/resources/fixtures/parity");

  private ParityFixtures() {}

  /** A repository whose single commit holds {@code files} (path, content, path, content, ...). */
  static FixtureRepo repo(Path dir, String... pathsAndContents) {
    return FixtureRepo.create(dir).commit(files(pathsAndContents), "add environments");
  }

  static Map<String, String> files(String... pathsAndContents) {
    if (pathsAndContents.length % 2 != 0) {
      throw new IllegalArgumentException("expected path, content pairs");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      files.put(pathsAndContents[i], pathsAndContents[i + 1]);
    }
    return files;
  }

  /** Every file under {@code fixtures/parity/<name>}, by path relative to it. */
  static Map<String, String> load(String name) {
    Path root = ROOT.resolve(name);
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no fixture files under " + root.toAbsolutePath());
    }
    return files;
  }

  /** A repository holding the fixture directory {@code name} in one commit. */
  static FixtureRepo layout(Path dir, String name) {
    return FixtureRepo.create(dir).commit(load(name), "layout " + name);
  }

  /** History in which the candidate passed (GO and deployed) each of {@code environments}. */
  static DeployHistory passedIn(String... environments) {
    Map<String, CandidateStatus> status = new LinkedHashMap<>();
    for (String env : environments) {
      status.put(env, new CandidateStatus(true, true, "ev-" + env));
    }
    return new DeployHistory(List.of(), status);
  }

  static DeployHistory status(String env, boolean go, boolean deployed) {
    return new DeployHistory(List.of(), Map.of(env, new CandidateStatus(go, deployed, go ? "ev-42" : null)));
  }
}
