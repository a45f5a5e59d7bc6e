package dev.tollgate.gate.view;

import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import java.util.List;
import java.util.Optional;

/**
 * The recent deploys of one repository to one environment of a tenant, newest first.
 */
public record EnvironmentDeploys(String tenant, String repository, String environment, List<DeployRecord> deploys) {
  public EnvironmentDeploys {
    deploys = List.copyOf(deploys);
  }

  /** What the key of an environment's history is made of. */
  record Target(String tenant, String repository, String environment) {}

  /** The newest successful deploy vouched for (a report without standing proves nothing): what runs there now. */
  public Optional<DeployRecord> current() {
    return deploys.stream().filter(d -> d.status() == DeployStatus.SUCCEEDED && d.vouched()).findFirst();
  }
}
