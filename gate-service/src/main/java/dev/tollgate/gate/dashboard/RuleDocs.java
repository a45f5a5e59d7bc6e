package dev.tollgate.gate.dashboard;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * {@code GET /rules/<probe>/<rule>}: a rule's documentation page ({@code docs/rules/<id>.md}, copied into the jar at
 * build time), rendered as HTML by the gate, so a finding's link works wherever Tollgate runs, offline included.
 * Raw HTML in the Markdown is escaped and unsafe link schemes dropped. Open to everyone: the pages are public
 * documentation.
 */
public final class RuleDocs {
  /** Rule ids as the style guide defines them: {@code <probe>/<kebab-case>}. */
  private static final Pattern RULE_ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*");
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true)
      .sanitizeUrls(true).build();

  /**
   * Guides rendered like the rules, with an id on every heading (GitHub's slugs, so links into a section work on both):
   * the delivery page links each figure to its definition here.
   */
  private static final HtmlRenderer GUIDE_RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true)
      .sanitizeUrls(true).attributeProviderFactory(context -> (node, tag, attributes) -> {
        if (node instanceof Heading heading) {
          attributes.put("id", slug(heading));
        }
      }).build();

  /** Rendered pages by rule id; only ids whose file exists are ever added, so the map is bounded by the docs. */
  private final Map<String, String> rendered = new ConcurrentHashMap<>();

  /** {@code GET /rules/*}. */
  public void serve(RoutingContext ctx) {
    String id = ctx.request().path().substring("/rules/".length());
    Optional<String> page = page(id);
    DashboardPages.pageHeaders(ctx);
    if (page.isEmpty()) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/html; charset=utf-8")
          .end(wrap("No documentation", "<p>There is no documentation page for rule <code>"
              + escape(RULE_ID.matcher(id).matches() ? id : "?") + "</code>.</p>", "rule"));
      return;
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page.get());
  }

  /** {@code GET /docs/delivery-metrics}: the definitions of the delivery figures ({@code docs/delivery-metrics.md}). */
  public void deliveryMetrics(RoutingContext ctx) {
    DashboardPages.pageHeaders(ctx);
    String html = rendered.computeIfAbsent("guide:delivery-metrics", k -> {
      try (InputStream in = RuleDocs.class.getClassLoader().getResourceAsStream("guide-docs/delivery-metrics.md")) {
        if (in == null) {
          throw new IllegalStateException("guide-docs/delivery-metrics.md is missing from the classpath");
        }
        return wrap("Delivery metrics", GUIDE_RENDERER.render(PARSER.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))),
            "definitions");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the delivery metrics definitions", e);
      }
    });
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
  }

  /** GitHub's anchor of a heading: its text in lower case, spaces as hyphens, other punctuation dropped. */
  static String slug(Heading heading) {
    StringBuilder text = new StringBuilder();
    Node n = heading.getFirstChild();
    while (n != null) {
      appendText(n, text);
      n = n.getNext();
    }
    return text.toString().strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  private static void appendText(Node node, StringBuilder out) {
    if (node instanceof Text t) {
      out.append(t.getLiteral());
    } else if (node instanceof Code c) {
      out.append(c.getLiteral());
    }
    Node child = node.getFirstChild();
    while (child != null) {
      appendText(child, out);
      child = child.getNext();
    }
  }

  /** The rendered page of rule {@code id}, if it has one. */
  Optional<String> page(String id) {
    if (!RULE_ID.matcher(id).matches()) {
      return Optional.empty();
    }
    String cached = rendered.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    try (InputStream in = RuleDocs.class.getClassLoader().getResourceAsStream("rule-docs/" + id + ".md")) {
      if (in == null) {
        return Optional.empty();
      }
      String markdown = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String html = wrap(id, RENDERER.render(PARSER.parse(markdown)), "rule");
      rendered.put(id, html);
      return Optional.of(html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the docs of rule " + id, e);
    }
  }

  private static String wrap(String title, String body, String kind) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + escape(title) + (kind.equals("rule") ? " · Tollgate rules" : " · Tollgate") + "</title>"
        + "<link rel=\"icon\" href=\"/assets/favicon.svg\"><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>"
        + "<body><header class=\"top\"><a class=\"brand\" href=\"/\">Tollgate</a><span class=\"muted\">" + kind + " "
        + escape(title) + "</span></header><main id=\"main\" class=\"doc\">" + body + "</main></body></html>\n";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
