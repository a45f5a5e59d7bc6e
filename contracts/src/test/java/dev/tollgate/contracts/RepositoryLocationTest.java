package dev.tollgate.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.evaluation.RepositoryLocation.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepositoryLocationTest {
  @Test
  void normalizesHttpsUrlsAndPaths() {
    var url = RepositoryLocation.parse("HTTPS://GitHub.com/acme/shop.git/");
    assertEquals(Kind.HTTPS, url.kind());
    assertEquals("https://github.com/acme/shop.git", url.value());
    assertEquals("https://github.com/acme/shop", url.identity());

    var path = RepositoryLocation.parse("/srv/git/./shop");
    assertEquals(Kind.LOCAL_PATH, path.kind());
    assertEquals("/srv/git/shop", path.value());
    assertEquals("/srv/git/shop", RepositoryLocation.parse("file:///srv/git/shop").value());
  }

  @Test
  void refusesCredentialsTraversalSshAndOtherSchemes() {
    var creds = assertThrows(IllegalArgumentException.class,
        () -> RepositoryLocation.parse("https://user:hunter2@github.com/acme/shop"));
    assertFalse(creds.getMessage().contains("hunter2"), "error must not echo credentials");
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("/srv/git/../etc"));
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("https://github.com/acme/../x"));
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("git@github.com:acme/shop.git"));
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("ftp://example.com/repo"));
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("relative/path"));
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("https://github.com/acme/shop?x=1"));
    assertThrows(IllegalArgumentException.class, () -> RepositoryLocation.parse("file://evil.example/etc"));
  }

  @Test
  void prefixesMatchOnSegmentBoundaries() {
    var allow = new RepositoryAllowList(List.of("https://github.com/acme/"), false, List.of());
    assertTrue(allow.rejection(RepositoryLocation.parse("https://github.com/acme/shop")).isEmpty());
    assertTrue(allow.rejection(RepositoryLocation.parse("https://GITHUB.com/acme/shop.git")).isEmpty());
    assertTrue(allow.rejection(RepositoryLocation.parse("https://github.com/acme-evil/shop")).isPresent());
    assertTrue(allow.rejection(RepositoryLocation.parse("http://github.com/acme/shop")).isPresent());
    assertTrue(allow.rejection(RepositoryLocation.parse("/srv/git/shop")).isPresent());
  }

  @Test
  void localPathsNeedPermissionAndMayBeConfinedToRoots() {
    var anywhere = new RepositoryAllowList(List.of(), true, List.of());
    assertTrue(anywhere.rejection(RepositoryLocation.parse("/home/me/shop")).isEmpty());
    var confined = new RepositoryAllowList(List.of(), true, List.of("/srv/git"));
    assertTrue(confined.rejection(RepositoryLocation.parse("/srv/git/shop")).isEmpty());
    assertTrue(confined.rejection(RepositoryLocation.parse("/srv/gitx/shop")).isPresent());
    assertTrue(confined.rejection(RepositoryLocation.parse("https://github.com/acme/shop")).isPresent());
  }

  @Test
  void internalHostsAreRefusedUnlessNamedExplicitly() {
    var broad = new RepositoryAllowList(List.of("https://", "http://"), false, List.of());
    for (String url : List.of("http://127.0.0.1/r", "http://169.254.169.254/latest/meta-data", "https://localhost/r",
        "https://10.1.2.3/r", "https://[::1]/r", "https://[fd00::1]/r", "http://0.0.0.0/r", "https://metadata.google.internal/x")) {
      assertTrue(broad.rejection(RepositoryLocation.parse(url)).isPresent(), url);
    }
    assertTrue(broad.rejection(RepositoryLocation.parse("https://github.com/acme/shop")).isEmpty());
    var explicit = new RepositoryAllowList(List.of("https://10.1.2.3/git/"), false, List.of());
    assertTrue(explicit.rejection(RepositoryLocation.parse("https://10.1.2.3/git/shop")).isEmpty(),
        "an operator who names the internal host allows it");
  }

  @Test
  void sameRepositoryMatchesEverySpellingOfOneRepositoryAndNoOther() {
    assertTrue(RepositoryLocation.sameRepository("https://github.com/acme/shop", "https://github.com/acme/shop.git"));
    assertTrue(RepositoryLocation.sameRepository("https://github.com/acme/shop", "https://GitHub.com/Acme/Shop/"));
    assertTrue(RepositoryLocation.sameRepository("/srv/git/shop", "/srv/git/shop/.git"));
    assertTrue(RepositoryLocation.sameRepository(null, null), "both the whole environment");
    assertFalse(RepositoryLocation.sameRepository("https://github.com/acme/shop", "https://github.com/acme/shop-admin"));
    assertFalse(RepositoryLocation.sameRepository("https://github.com/acme/shop", "https://gitlab.com/acme/shop"));
    assertFalse(RepositoryLocation.sameRepository("/srv/git/shop", "/srv/git/Shop"), "local paths are case-sensitive");
    assertFalse(RepositoryLocation.sameRepository("https://github.com/acme/shop", null));
    assertFalse(RepositoryLocation.sameRepository("not a url", "https://github.com/acme/shop"));
  }

  /**
   * Attack: a repository lock bypassed by a spelling the platform serves as the same repository: slashes merged by a
   * proxy, an upper-case .GIT, http where an http prefix is allowed, a default port, a fully qualified host name.
   */
  @Test
  void sameRepositoryMatchesSlashesCaseOfGitSchemeDefaultPortsAndATrailingHostDot() {
    String shop = "https://gitlab.example.com/acme/shop";
    for (String spelling : List.of("https://gitlab.example.com//acme///shop", "https://gitlab.example.com/acme/shop.GIT",
        "https://gitlab.example.com/acme/Shop.Git/", "http://gitlab.example.com/acme/shop",
        "https://gitlab.example.com:443/acme/shop",
        "http://gitlab.example.com:80/acme/shop.git", "https://gitlab.example.com.:443/acme//shop.git",
        "https://GITLAB.example.com./acme/shop")) {
      assertTrue(RepositoryLocation.sameRepository(shop, spelling), spelling);
      assertTrue(RepositoryLocation.sameRepository(spelling, shop), spelling);
    }
    for (String other : List.of("https://gitlab.example.com:8443/acme/shop", "https://gitlab.example.com/acme/shop.gitx",
        "https://gitlab.example.com/acme/shop/sub", "https://gitlab.example.com/acmeshop", "https://gitlab.example.co/acme/shop",
        "/acme/shop")) {
      assertFalse(RepositoryLocation.sameRepository(shop, other), other);
    }
  }
}
