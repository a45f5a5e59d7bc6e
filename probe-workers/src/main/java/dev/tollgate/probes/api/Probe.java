package dev.tollgate.probes.api;

import dev.tollgate.contracts.probe.ProbeId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Rules sharing one view of the repository. {@link #rules()} is an explicit alphabetical list, no scanning. */
public interface Probe {
  /** The probe's id, e.g. {@code secrets}. */
  ProbeId id();

  /** The rules, in id order. */
  List<Rule> rules();

  /**
   * A short note on what the probe read, appended to its result's reason after the rules ran (e.g. the migration
   * frameworks it found and read), or null for nothing. Reads only what the rules already computed in {@code ctx}.
   */
  default String summary(RuleContext ctx) {
    return null;
  }

  /**
   * Problems in the operators' settings of this probe for {@code settings.environment()} (the server's
   * {@code tollgate.yml}), each naming its key; empty when valid. {@code tollgate config validate} reports them
   * before a bad setting turns every evaluation into a NO_GO.
   */
  default List<String> validateServerSettings(ServerSettings settings) {
    return List.of();
  }

  /**
   * Problems in this probe's part of a repository's {@code .tollgate.yml} for {@code server.environment()}, each naming
   * its key, read as the probe reads them at the candidate commit; empty when valid. {@code tollgate config validate
   * --repository} reports them before a commit turns them into a NO_GO.
   *
   * @param files the repository's files by path (a calendar feed, the secrets baseline), empty when absent
   */
  default List<String> validateRepositorySettings(RepoConfig repo, ServerSettings server,
      Function<String, Optional<String>> files) {
    return List.of();
  }
}
