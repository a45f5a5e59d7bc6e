package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.calendar.FreezeCalendarProbe;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.parity.EnvironmentParityProbe;
import dev.tollgate.probes.rollback.RollbackReadinessProbe;
import dev.tollgate.probes.secrets.SecretLeakageProbe;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The probes a worker runs, by id. The production list is explicit: no classpath scanning. */
public final class ProbeRegistry {
  private final Map<ProbeId, Probe> probes;

  public ProbeRegistry(List<Probe> probes) {
    Map<ProbeId, Probe> byId = new LinkedHashMap<>();
    for (Probe p : probes) {
      if (byId.put(p.id(), p) != null) {
        throw new IllegalArgumentException("two probes with id " + p.id());
      }
    }
    this.probes = Collections.unmodifiableMap(byId);
  }

  /** The probes Tollgate ships. Only real probes belong here. */
  public static ProbeRegistry production() {
    return new ProbeRegistry(List.of(new FreezeCalendarProbe(), new MigrationSafetyProbe(), new EnvironmentParityProbe(),
        new RollbackReadinessProbe(), new SecretLeakageProbe()));
  }

  /** The probe with {@code id}, if this worker has it. */
  public Optional<Probe> find(ProbeId id) {
    return Optional.ofNullable(probes.get(id));
  }

  /** Ids of every probe, sorted. */
  public Set<ProbeId> ids() {
    return Collections.unmodifiableSet(new TreeSet<>(probes.keySet()));
  }

  /** Every probe, in registration order. */
  public List<Probe> all() {
    return List.copyOf(probes.values());
  }
}
