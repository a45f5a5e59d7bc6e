package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ActiveRecord's default table names. */
class InflectorTest {
  @Test
  void pluralizesAndSingularizesLikeActiveSupport() {
    assertEquals("users", Inflector.pluralize("user"));
    assertEquals("categories", Inflector.pluralize("category"));
    assertEquals("people", Inflector.pluralize("person"));
    assertEquals("addresses", Inflector.pluralize("address"));
    assertEquals("statuses", Inflector.pluralize("status"));
    assertEquals("wives", Inflector.pluralize("wife"));
    assertEquals("halves", Inflector.pluralize("half"));
    assertEquals("api_keys", Inflector.pluralize("api_key"));
    assertEquals("metadata", Inflector.pluralize("metadata"));
    assertEquals("category", Inflector.singularize("categories"));
    assertEquals("person", Inflector.singularize("people"));
    assertEquals("address", Inflector.singularize("addresses"));
    assertEquals("account", Inflector.singularize("accounts"));
  }

  @Test
  void derivesTableNamesFromClassNames() {
    assertEquals("user_profiles", Inflector.tableName("UserProfile"));
    assertEquals("oidc_providers", Inflector.tableName("OIDC::Provider".replace("OIDC::", "Oidc")));
    assertEquals("http_requests", Inflector.tableName("HTTPRequest"));
    assertEquals("organization_onboardings", Inflector.tableName("Admin::OrganizationOnboarding"));
  }
}
