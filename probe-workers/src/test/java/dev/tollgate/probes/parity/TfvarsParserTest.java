package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TfvarsParserTest {
  private static String flat(String text) throws ConfigSyntaxException {
    return Flattener.flatten(TfvarsParser.parse(text), "").stream()
        .map(f -> f.line() + " " + f.key() + " " + f.value().type().label() + " " + f.value().text())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void readsLiteralsListsAndObjects() throws Exception {
    assertEquals("""
        2 region string eu-west-1
        3 instance_count number 3
        4 ratio number -0.5e2
        5 enabled boolean true
        6 nothing null null
        7 zones list [a, b, c]
        13 tags.team string payments
        14 tags.cost-center string 42
        15 tags.nested.deep boolean false
        17 db.engine_version string 15.4
        17 db.size number 20
        18 templated string ${var.x}-suffix
        19 escaped string tab\there "q\"""", flat("""
        # comment
        region         = "eu-west-1" // trailing
        instance_count = 3
        ratio = -0.5e2
        enabled = true
        nothing = null
        zones = [
          "a",  # one
          "b",
          "c", /* trailing comma */
        ]
        tags = {
          team = "payments"
          "cost-center": "42",
          nested = { deep = false }
        }
        db = { engine_version = "15.4", size = 20 }
        templated = "${var.x}-suffix"
        escaped = "tab\\there \\"q\\""
        """));
  }

  @Test
  void readsHeredocsWithAndWithoutIndentStripping() throws Exception {
    Node root = TfvarsParser.parse("""
        policy = <<EOT
        {
          "a": 1
        }
        EOT
        indented = <<-EOT
            x
              y
            EOT
        after = 1
        """);
    assertEquals("{\n  \"a\": 1\n}\n", root.fields().get("policy").text());
    assertEquals("x\n  y\n", root.fields().get("indented").text());
    assertEquals(6, root.fields().get("indented").line());
    assertEquals(10, root.fields().get("after").line());
  }

  @Test
  void rejectsExpressionsLikeTerraformDoes() {
    ConfigSyntaxException e = assertThrows(ConfigSyntaxException.class,
        () -> TfvarsParser.parse("a = 1\nb = var.other\n"));
    assertEquals(2, e.line());
    assertEquals("only literal values are allowed in .tfvars", e.getMessage());
  }

  @Test
  void rejectsUnterminatedStringsAndMissingEquals() {
    assertThrows(ConfigSyntaxException.class, () -> TfvarsParser.parse("a = \"open\n"));
    assertThrows(ConfigSyntaxException.class, () -> TfvarsParser.parse("a \"x\"\n"));
    assertThrows(ConfigSyntaxException.class, () -> TfvarsParser.parse("a = [1, 2\n"));
  }
}
