package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PropertiesParserTest {
  private static final String SAMPLE = """
      # comment
      ! also a comment
      server.port=8080
      spring.datasource.url : jdbc:postgresql://db/app
      key\\ with\\ spaces = v
      multi = first, \\
              second, \\
              third
      tabbed\tvalue here
      unicode=caf\\u00e9
      escaped\\=key=x\\ty
      empty
      colon\\:key:1
      """;

  @Test
  void agreesWithJavaUtilProperties() throws Exception {
    // Differential test: the JDK is the reference for the format, we only add line numbers.
    Properties jdk = new Properties();
    jdk.load(new StringReader(SAMPLE));
    Map<String, String> expected = new TreeMap<>();
    jdk.forEach((k, v) -> expected.put((String) k, (String) v));
    Map<String, String> ours = PropertiesParser.parse(SAMPLE).stream()
        .collect(Collectors.toMap(PropertiesParser.Property::key, PropertiesParser.Property::value, (a, b) -> b, TreeMap::new));
    assertEquals(expected, ours);
  }

  @Test
  void keepsTheFirstLineOfEachLogicalLine() throws Exception {
    List<PropertiesParser.Property> props = PropertiesParser.parse(SAMPLE);
    assertEquals("server.port@3 spring.datasource.url@4 key with spaces@5 multi@6 tabbed@9 unicode@10 escaped=key@11 "
        + "empty@12 colon:key@13", props.stream().map(p -> p.key() + "@" + p.line()).collect(Collectors.joining(" ")));
  }

  @Test
  void rejectsMalformedUnicodeEscapes() {
    ConfigSyntaxException e = assertThrows(ConfigSyntaxException.class, () -> PropertiesParser.parse("a=1\nb=\\u12"));
    assertEquals(2, e.line());
  }
}
