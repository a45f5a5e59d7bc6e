package dev.tollgate.probes.api;

import dev.tollgate.contracts.probe.ProbeId;
import java.util.List;

/** Rules sharing one view of the repository. {@link #rules()} is an explicit alphabetical list, no scanning. */
public interface Probe {
  /** The probe's id, e.g. {@code secrets}. */
  ProbeId id();

  /** The rules, in id order. */
  List<Rule> rules();

  /**
   * Problems in the operators' settings of this probe for {@code settings.environment()} (the server's
   * {@code tollgate.yml}), each naming its key; empty when valid. {@code tollgate config validate} reports them
   * before a bad setting turns every evaluation into a NO_GO.
   */
  default List<String> validateServerSettings(ServerSettings settings) {
    return List.of();
  }
}
