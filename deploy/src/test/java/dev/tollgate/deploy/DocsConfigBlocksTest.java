package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.TestKeys;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML block of the README and docs/ says, in its first line, which file it belongs in, and the blocks of
 * Tollgate's own files pass that file's validator (issue 20 item 6: repository examples failed as server config):
 * {@code # tollgate.yml (server)} through {@code config validate}, {@code # .tollgate.yml (repository)} through
 * {@code config validate --repository}. A block may be an excerpt: a server excerpt without {@code environments} gets
 * {@code staging} and {@code production}; the secret files it names are made, with the shape each key expects. A
 * block that shows a mistake says so ({@code # .tollgate.yml (repository), invalid: ...}) and must fail.
 */
class DocsConfigBlocksTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern YAML_BLOCK = Pattern.compile("(?m)^([ \\t]*)```ya?ml[^\\n]*\\n(.*?)^[ \\t]*```[ \\t]*$", Pattern.DOTALL);
  static final Pattern SERVER = Pattern.compile("# tollgate\\.yml \\(server\\)");
  static final Pattern REPOSITORY = Pattern.compile("# \\.tollgate\\.yml \\(repository\\)");
  /** Any other file, by its name or path: {@code # application.yml}, {@code # probe-workers/.../rules.yaml (one entry)}. */
  static final Pattern OTHER = Pattern.compile("# [\\w./-]+\\.(ya?ml|json)\\b.*");

  @TempDir
  Path tmp;

  record Block(Path file, int line, String yaml) {
    String firstLine() {
      return yaml.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    }

    boolean invalid() {
      return firstLine().matches("# [.\\w]+ \\(\\w+\\), invalid\\b.*");
    }

    @Override
    public String toString() {
      return ROOT.relativize(file) + ":" + line;
    }
  }

  static List<Block> blocks() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Block> blocks = new ArrayList<>();
    for (Path f : files) {
      String md = Files.readString(f);
      Matcher m = YAML_BLOCK.matcher(md);
      while (m.find()) {
        String indent = m.group(1);
        StringBuilder yaml = new StringBuilder();
        for (String l : m.group(2).split("\n", -1)) {
          yaml.append(l.startsWith(indent) ? l.substring(indent.length()) : l).append('\n');
        }
        int line = (int) md.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
        blocks.add(new Block(f, line, yaml.toString()));
      }
    }
    return blocks;
  }

  @Test
  void everyYamlBlockSaysWhichFileItBelongsIn() throws IOException {
    List<String> unnamed = new ArrayList<>();
    List<Block> all = blocks();
    assertTrue(all.size() > 20, "found " + all.size());
    for (Block b : all) {
      String first = b.firstLine();
      if (!SERVER.matcher(first).lookingAt() && !REPOSITORY.matcher(first).lookingAt() && !OTHER.matcher(first).matches()) {
        unnamed.add(b + ": " + first);
      }
    }
    assertEquals(List.of(), unnamed, "start each YAML block with # tollgate.yml (server), # .tollgate.yml (repository) or "
        + "# <file name>");
  }

  @Test
  void serverBlocksPassConfigValidate() throws Exception {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Block b : blocks()) {
      if (!SERVER.matcher(b.firstLine()).lookingAt()) {
        continue;
      }
      checked++;
      String yaml = withSecretFiles(b.yaml());
      if (!Pattern.compile("(?m)^environments:").matcher(yaml).find()) {
        yaml += "environments: {staging: {}, production: {}}\n";
      }
      ServerConfigFile file = ServerConfigFile.parse(b.toString(), yaml, false);
      List<String> found = ConfigValidator.validate(file, ProbeRegistry.production());
      if (b.invalid() == found.isEmpty()) {
        problems.add(b + (b.invalid() ? ": shown as invalid, but valid" : ": " + found));
      }
    }
    assertTrue(checked >= 8, "server blocks: " + checked);
    assertEquals(List.of(), problems);
  }

  @Test
  void repositoryBlocksPassConfigValidateRepository() throws Exception {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Block b : blocks()) {
      if (!REPOSITORY.matcher(b.firstLine()).lookingAt()) {
        continue;
      }
      checked++;
      List<String> found = ConfigValidator.validateRepository(".tollgate.yml", b.yaml(), ServerConfigFile.load(null),
          ProbeRegistry.production(), DocsConfigBlocksTest::repositoryFile);
      if (b.invalid() == found.isEmpty()) {
        problems.add(b + (b.invalid() ? ": shown as invalid, but valid" : ": " + found));
      }
    }
    assertTrue(checked >= 8, "repository blocks: " + checked);
    assertEquals(List.of(), problems);
  }

  /** A repository block is no server file, and a server block no repository file: the validators tell them apart. */
  @Test
  void theValidatorsTellTheTwoFilesApart() throws Exception {
    Block repo = blocks().stream().filter(b -> REPOSITORY.matcher(b.firstLine()).lookingAt() && b.yaml().contains("version: 1"))
        .findFirst().orElseThrow();
    assertFalse(ConfigValidator.validate(ServerConfigFile.parse("r", repo.yaml(), false), ProbeRegistry.production()).isEmpty());
    assertFalse(ConfigValidator.validateRepository(".tollgate.yml", "tokens: []\nkafka: {}\n", ServerConfigFile.load(null),
        ProbeRegistry.production(), path -> Optional.empty()).isEmpty());
  }

  /** The repository files a block names: a calendar feed is an empty calendar; nothing else exists. */
  static Optional<String> repositoryFile(String path) {
    return path.endsWith(".ics") ? Optional.of("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//docs//EN\r\nEND:VCALENDAR\r\n")
        : Optional.empty();
  }

  /** One Ed25519 key pair for every attestation key a block names. */
  private static final java.security.KeyPair ED25519;

  static {
    try {
      ED25519 = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Each secret file the block names, made in the temporary directory with the content its key expects. */
  String withSecretFiles(String yaml) throws IOException {
    // Block style (key on its own line) and flow style ({publicKeyFile: /path, ...}).
    Matcher m = Pattern.compile("(?m)(^\\s*|[{,]\\s*)(\\w+File):\\s*(/[^\\s,}]+)").matcher(yaml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(2);
      String path = m.group(3);
      Path made = tmp.resolve(path.substring(1).replace('/', '_'));
      String content = switch (key) {
        case "privateKeyFile" -> TestKeys.pkcs1Pem(TestKeys.pair());
        case "keyFile" -> pem("PRIVATE KEY", ED25519.getPrivate().getEncoded());
        case "publicKeyFile" -> pem("PUBLIC KEY", ED25519.getPublic().getEncoded());
        case "botTokenFile" -> path.contains("slack") ? "xoxb-1234-5678-docsexample" : "glpat-docsexampletoken0000";
        case "signingSecretFile" -> path.contains("slack") ? "8f742231b10e8888abcd99yyyzzz85a5"
            : "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        default -> "docs-example-secret-of-" + path; // each file its own: two tenants may not share a webhook token
      };
      Files.writeString(made, content);
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + key + ": " + made));
    }
    m.appendTail(out);
    return out.toString();
  }
}
