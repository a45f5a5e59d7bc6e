package dev.tollgate.gate.auth;

import java.util.Set;

/**
 * Who is calling: a token's name, role and tenants. {@code *} in tenants means every tenant.
 */
public record Principal(String name, Role role, Set<String> tenants) {
  public Principal {
    tenants = Set.copyOf(tenants);
  }

  /** True when the principal may see {@code tenant}'s data. */
  public boolean canAccess(String tenant) {
    return tenants.contains("*") || tenants.contains(tenant);
  }
}
