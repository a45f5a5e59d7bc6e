package dev.tollgate.gate.auth;

import java.util.Set;

/**
 * Who is calling: a token's name, role and tenants. {@code *} in tenants means every tenant.
 *
 * @param deployReporter the operator marked the token as a CD system's ({@code deployReporter: true}): its deploy
 *     reports count as proof of deploys it did not request (see {@code DeployRecorder})
 */
public record Principal(String name, Role role, Set<String> tenants, boolean deployReporter) {
  public Principal {
    tenants = Set.copyOf(tenants);
  }

  /** A principal that is not a deploy reporter. */
  public Principal(String name, Role role, Set<String> tenants) {
    this(name, role, tenants, false);
  }

  /** True when the principal may see {@code tenant}'s data. */
  public boolean canAccess(String tenant) {
    return tenants.contains("*") || tenants.contains(tenant);
  }
}
