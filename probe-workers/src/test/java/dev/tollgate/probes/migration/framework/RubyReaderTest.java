package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.migration.framework.RubyReader.Call;
import dev.tollgate.probes.migration.framework.RubyReader.ClassDef;
import dev.tollgate.probes.migration.framework.RubyReader.Def;
import dev.tollgate.probes.migration.framework.RubyReader.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static Ruby reader on the constructs migrations, schema dumps and models use, and on broken input. */
class RubyReaderTest {
  private static List<Node> body(String src) {
    RubyReader.Result r = RubyReader.read(src);
    assertNull(r.error(), r.error());
    ClassDef c = (ClassDef) r.nodes().get(0);
    return ((Def) c.body().get(0)).body();
  }

  @Test
  void readsCommandCallsWithSymbolsLabelsHashRocketsArraysAndBlocks() {
    List<Node> nodes = body("""
        class X < ActiveRecord::Migration[7.1]
          def change
            add_index :users, %i[a b], unique: true, :name => "idx", where: "a IS NOT NULL" # comment
            create_table(:t, id: false) { |t| t.string :x, null: false }
            change_table :users, bulk: true do |t|
              t.remove :a, :b
            end
          end
        end
        """);
    Call add = (Call) nodes.get(0);
    assertEquals("add_index", add.name());
    assertEquals(new RubyReader.Arr(List.of(new RubyReader.Sym("a"), new RubyReader.Sym("b"))), add.arg(1));
    assertEquals(new RubyReader.Bool(true), add.kw("unique"));
    assertEquals("idx", ((RubyReader.Str) add.kw("name")).value());
    Call create = (Call) nodes.get(1);
    assertEquals(List.of("t"), create.block().params());
    assertEquals("string", ((Call) create.block().body().get(0)).name());
    Call change = (Call) nodes.get(2);
    assertEquals(5, change.line());
    assertEquals(6, ((Call) change.block().body().get(0)).line());
  }

  @Test
  void heredocsKeepTheirSourceOffsetsAndLinesAndInterpolationIsNoticed() {
    String src = """
        class X < ActiveRecord::Migration[7.1]
          def up
            execute <<~SQL, "ignored"
              DROP TABLE a;
            SQL
            execute "UPDATE t SET x = '#{v}'"
            execute <<~'SQL'
              SELECT '#{not_interpolated}';
            SQL
          end
        end
        """;
    List<Node> nodes = body(src);
    RubyReader.Str heredoc = (RubyReader.Str) ((Call) nodes.get(0)).arg(0);
    assertEquals("DROP TABLE a;", src.substring(heredoc.from(), heredoc.to()).strip());
    assertEquals(4, heredoc.line());
    assertTrue(((RubyReader.Str) ((Call) nodes.get(1)).arg(0)).interpolated());
    RubyReader.Str quoted = (RubyReader.Str) ((Call) nodes.get(2)).arg(0);
    assertEquals(false, quoted.interpolated());
    assertEquals(8, quoted.line());
  }

  @Test
  void conditionalsAndModifiersAreReadAsIfTheyRan() {
    List<Node> nodes = body("""
        class X < ActiveRecord::Migration[7.1]
          def up
            remove_column :users, :a if column_exists?(:users, :a)
            unless index_exists?(:users, :b)
              add_index :users, :b
            end
          end
        end
        """);
    assertEquals("remove_column", ((Call) nodes.get(0)).name());
    RubyReader.Branch branch = assertInstanceOf(RubyReader.Branch.class, nodes.get(1));
    assertEquals("add_index", ((Call) branch.body().get(0)).name());
  }

  @Test
  void brokenInputIsReportedNotThrown() {
    RubyReader.Result r = RubyReader.read("class X < ActiveRecord::Migration[7.1]\n  def up\n    execute \"unterminated\n  end\nend\n");
    assertNotNull(r.error());
    assertEquals(3, r.errorLine());
    assertNotNull(RubyReader.read("=begin\nnever closed").nodes());
    assertNotNull(RubyReader.read("execute <<~SQL\nno end").error());
  }
}
