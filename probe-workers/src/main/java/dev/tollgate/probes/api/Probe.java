package dev.tollgate.probes.api;

import dev.tollgate.contracts.probe.ProbeId;
import java.util.List;

/** Rules sharing one view of the repository. {@link #rules()} is an explicit alphabetical list, no scanning. */
public interface Probe {
  /** The probe's id, e.g. {@code secrets}. */
  ProbeId id();

  /** The rules, in id order. */
  List<Rule> rules();
}
