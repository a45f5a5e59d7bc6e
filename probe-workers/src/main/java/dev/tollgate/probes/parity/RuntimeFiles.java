package dev.tollgate.probes.parity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts what an environment runs on from files that are not configuration: Dockerfile base images, version
 * pins ({@code .tool-versions}, {@code .nvmrc}, {@code .python-version}, {@code .sdkmanrc}, ...) and the Java
 * version in Maven and Gradle build files. Each fact is a key (the tool, or {@code FROM <stage>}) and a version.
 */
final class RuntimeFiles {
  /** One extracted fact. */
  record Fact(String key, String value, int line) {}

  /** Single-version pin files and the tool each pins. */
  static final Map<String, String> PIN_FILES = Map.of(
      ".nvmrc", "node", ".node-version", "node", ".python-version", "python", ".ruby-version", "ruby",
      ".java-version", "java", ".terraform-version", "terraform", ".go-version", "go");

  private static final Pattern FROM = Pattern.compile("(?i)FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*");
  private static final Pattern ARG = Pattern.compile("(?i)ARG\\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\\S*))?\\s*");
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final List<String> POM_PROPERTIES = List.of("java.version", "maven.compiler.release",
      "maven.compiler.source", "maven.compiler.target", "release");
  private static final Pattern TOOLCHAIN_JDK = Pattern.compile("<jdk>\\s*<version>\\s*([^<\\s]+)\\s*</version>");
  private static final Pattern GRADLE_TOOLCHAIN = Pattern.compile(
      "(?:JavaLanguageVersion\\.of|jvmToolchain)\\s*\\(\\s*[\"']?(\\d+)[\"']?\\s*\\)");
  private static final Pattern GRADLE_COMPAT = Pattern.compile(
      "\\b(sourceCompatibility|targetCompatibility)\\s*=\\s*(?:JavaVersion\\.VERSION_([0-9_]+)|[\"']?([0-9.]+)[\"']?)");

  private RuntimeFiles() {}

  /** Base images of each build stage; stages built from an earlier stage are skipped (not a base image). */
  static List<Fact> dockerfile(String text) {
    List<Fact> out = new ArrayList<>();
    Map<String, String> args = new HashMap<>();
    Set<String> stages = new HashSet<>();
    int stage = 0;
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      int startLine = n + 1;
      StringBuilder instruction = new StringBuilder(lines[n].strip());
      while (instruction.length() > 0 && instruction.charAt(instruction.length() - 1) == '\\' && n + 1 < lines.length) {
        instruction.setLength(instruction.length() - 1);
        instruction.append(' ').append(lines[++n].strip());
      }
      String ins = instruction.toString();
      if (ins.startsWith("#")) {
        continue;
      }
      Matcher arg = ARG.matcher(ins);
      if (arg.matches() && stage == 0 && arg.group(2) != null) {
        // ARGs before the first FROM parameterise FROM lines: ARG JAVA=21 / FROM eclipse-temurin:${JAVA}
        args.put(arg.group(1), arg.group(2).replaceAll("^[\"']|[\"']$", ""));
        continue;
      }
      Matcher from = FROM.matcher(ins);
      if (!from.matches()) {
        continue;
      }
      String image = substitute(from.group(1), args);
      String alias = from.group(2);
      int index = stage++;
      if (alias != null) {
        stages.add(alias.toLowerCase(Locale.ROOT));
      }
      if (stages.contains(image.toLowerCase(Locale.ROOT)) && !image.equalsIgnoreCase(alias)) {
        continue;
      }
      out.add(new Fact("FROM " + (alias != null ? alias : "#" + index), image, startLine));
    }
    return out;
  }

  private static String substitute(String s, Map<String, String> args) {
    Matcher m = VAR.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      m.appendReplacement(b, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** {@code .tool-versions}: one {@code tool version [fallback...]} per line. */
  static List<Fact> toolVersions(String text) {
    List<Fact> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String l = stripComment(lines[n]);
      String[] parts = l.split("\\s+");
      if (parts.length >= 2) {
        out.add(new Fact(parts[0], parts[1], n + 1));
      }
    }
    return out;
  }

  /** A single-version pin file: the first non-comment line. */
  static List<Fact> pin(String tool, String text) {
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String l = stripComment(lines[n]);
      if (!l.isEmpty()) {
        return List.of(new Fact(tool, l.split("\\s+")[0], n + 1));
      }
    }
    return List.of();
  }

  /** {@code .sdkmanrc}: {@code candidate=version} lines. */
  static List<Fact> sdkmanrc(String text) {
    List<Fact> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String l = stripComment(lines[n]);
      int eq = l.indexOf('=');
      if (eq > 0) {
        out.add(new Fact(l.substring(0, eq).strip(), l.substring(eq + 1).strip(), n + 1));
      }
    }
    return out;
  }

  /** The Java version a Maven build targets: compiler properties, the compiler's release, the JDK toolchain. */
  static List<Fact> pom(String text) {
    String xml = blankComments(text);
    List<Fact> out = new ArrayList<>();
    for (String property : POM_PROPERTIES) {
      Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">\\s*([^<\\s]+)\\s*</" + Pattern.quote(property) + ">")
          .matcher(xml);
      if (m.find()) {
        out.add(new Fact(property.equals("release") ? "maven-compiler-plugin.release" : property, m.group(1),
            lineOf(xml, m.start())));
      }
    }
    Matcher jdk = TOOLCHAIN_JDK.matcher(xml);
    if (jdk.find()) {
      out.add(new Fact("toolchain.jdk.version", jdk.group(1), lineOf(xml, jdk.start())));
    }
    return out;
  }

  /** The Java version a Gradle build targets: the toolchain and source/target compatibility. */
  static List<Fact> gradle(String text) {
    List<Fact> out = new ArrayList<>();
    Matcher toolchain = GRADLE_TOOLCHAIN.matcher(text);
    if (toolchain.find()) {
      out.add(new Fact("java.toolchain.languageVersion", toolchain.group(1), lineOf(text, toolchain.start())));
    }
    Matcher compat = GRADLE_COMPAT.matcher(text);
    Set<String> seen = new HashSet<>();
    while (compat.find()) {
      if (seen.add(compat.group(1))) {
        String v = compat.group(2) != null ? compat.group(2).replace('_', '.') : compat.group(3);
        out.add(new Fact(compat.group(1), v, lineOf(text, compat.start())));
      }
    }
    return out;
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return (hash >= 0 ? line.substring(0, hash) : line).strip();
  }

  /** Replaces XML comments by blanks of the same shape, so offsets and lines stay right. */
  private static String blankComments(String xml) {
    Matcher m = XML_COMMENT.matcher(xml);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(m.group().replaceAll("[^\n]", " ")));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int k = 0; k < offset && k < text.length(); k++) {
      if (text.charAt(k) == '\n') {
        line++;
      }
    }
    return line;
  }
}
