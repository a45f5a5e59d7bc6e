package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.ClassDecl;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.Code.Str;
import dev.tollgate.probes.migration.framework.CodeLexer.Lang;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The C-family parser finds calls, their arguments and lines, classes and members, in the shapes migrations take. */
class CodeParserTest {
  private static List<Call> calls(List<Stmt> stmts) {
    List<Call> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Code.Expr e) {
        Code.calls(e.expr(), out);
      } else if (s instanceof Code.Return r) {
        Code.calls(r.expr(), out);
      } else if (s instanceof Code.ClassStmt c) {
        for (Code.Decl d : c.decl().members()) {
          if (d.method() != null) {
            out.addAll(calls(d.method().statements()));
          }
        }
      } else if (s instanceof Code.Block b) {
        out.addAll(calls(b.body()));
        if (b.fn() != null) {
          out.addAll(calls(b.fn().statements()));
        }
      }
    }
    return out;
  }

  private static String names(List<Call> calls) {
    return calls.stream().map(c -> c.name() + "@" + c.line()).collect(Collectors.joining(" "));
  }

  @Test
  void phpAnonymousMigrationClassWithClosuresHeredocsAndNamedArguments() {
    String php = """
        <?php
        use Illuminate\\Database\\Migrations\\Migration;
        use Illuminate\\Support\\Facades\\DB;

        return new class extends Migration
        {
            public $withinTransaction = false; // a comment with 'quotes'
            # another comment
            public function up(): void
            {
                Schema::table('users', function (Blueprint $table) {
                    $table->string("nick_{$suffix}", length: 40)->nullable();
                    $table->dropColumn(['a', 'b']);
                });
                DB::statement(<<<'SQL'
                    CREATE INDEX CONCURRENTLY idx ON users (email)
                    SQL);
            }
        };
        """;
    List<Stmt> stmts = CodeParser.parse(php, Lang.PHP);
    List<ClassDecl> classes = Code.classes(stmts);
    assertEquals(1, classes.size());
    ClassDecl c = classes.get(0);
    assertEquals(List.of("Migration"), c.supertypes());
    assertEquals("false", ((Code.Name) c.member("withinTransaction").value()).name());
    List<Call> calls = calls(c.member("up").method().statements());
    assertEquals("table@11 string@12 nullable@12 dropColumn@13 statement@15", names(calls));
    Call string = calls.get(1);
    assertEquals(List.of("nick_", "$suffix", ""), ((Str) string.arg(0)).parts());
    assertEquals("40", ((Code.Num) string.named("length")).text());
    Str sql = (Str) calls.get(4).arg(0);
    assertTrue(sql.value().strip().startsWith("CREATE INDEX CONCURRENTLY idx ON users"), sql.value());
  }

  @Test
  void javascriptExportsArrowFunctionsTemplatesAndNoSemicolons() {
    String js = """
        const TABLE = 'users'
        exports.config = { transaction: false }
        exports.up = async function (knex) {
          await knex.schema.alterTable(TABLE, t => {
            t.string('nick').notNullable().defaultTo('')
            t.dropColumn(`old_${TABLE}`)
          })
          return knex.raw(`CREATE INDEX CONCURRENTLY "i" ON "users" ("nick")`)
        }
        module.exports.down = (knex) => knex.schema.dropTable('x');
        """;
    List<Stmt> stmts = CodeParser.parse(js, Lang.JS);
    assertEquals("alterTable@4 string@5 notNullable@5 defaultTo@5 dropColumn@6 raw@8 dropTable@10", names(calls(stmts)
        .stream().filter(c -> !c.name().isEmpty()).toList()));
    Code.Constants consts = Code.Constants.of(stmts);
    assertEquals("users", consts.eval(new Code.Name("TABLE", 1)));
    Call drop = calls(stmts).stream().filter(c -> c.name().equals("dropColumn")).findFirst().orElseThrow();
    assertEquals("old_users", consts.eval(drop.arg(0)));
  }

  @Test
  void typescriptClassWithDecoratorsTypesAndFieldsWithoutSemicolons() {
    String ts = """
        import { MigrationInterface, QueryRunner } from "typeorm"

        @Entity({ name: 'users' })
        export class User {
          @PrimaryGeneratedColumn() id: number
          @Column({ name: 'nick_name', nullable: true }) nick?: string
          @ManyToOne(() => Org, (o) => o.users)
          @JoinColumn({ name: 'org_id' })
          org: Org
        }

        export class AddNick1700000000000 implements MigrationInterface {
          name = 'AddNick1700000000000'
          transaction = false as const

          public async up(queryRunner: QueryRunner): Promise<void> {
            await queryRunner.query(`ALTER TABLE "users" ADD "nick" character varying`);
          }
        }
        """;
    List<ClassDecl> classes = Code.classes(CodeParser.parse(ts, Lang.JS));
    assertEquals(2, classes.size());
    ClassDecl user = classes.get(0);
    assertEquals("Entity", user.annotations().get(0).name());
    assertEquals(List.of("id", "nick", "org"), user.members().stream().map(Code.Decl::name).toList());
    assertEquals("Column", user.member("nick").annotations().get(0).name());
    assertEquals(2, user.member("org").annotations().size());
    ClassDecl m = classes.get(1);
    assertEquals(List.of("MigrationInterface"), m.supertypes());
    assertEquals("false", ((Code.Name) m.member("transaction").value()).name());
    Call q = calls(m.member("up").method().statements()).get(0);
    assertEquals("query", q.name());
    assertEquals(17, q.line());
  }

  @Test
  void csharpMigrationWithGenericsNamedArgumentsLambdasAndAnonymousObjects() {
    String cs = """
        using Microsoft.EntityFrameworkCore.Migrations;
        #nullable disable
        namespace App.Migrations
        {
            /// <inheritdoc />
            [Migration("20240101000000_Init")]
            public partial class Init : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.AddColumn<string>(
                        name: "Nick",
                        table: "Users",
                        type: "text",
                        nullable: false,
                        defaultValue: "");
                    migrationBuilder.CreateTable(
                        name: "Things",
                        columns: table => new
                        {
                            Id = table.Column<int>(type: "integer", nullable: false)
                                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                            Name = table.Column<string>(type: "text", nullable: true)
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("PK_Things", x => x.Id);
                        });
                    migrationBuilder.Sql(@"UPDATE ""Users"" SET x = 1", suppressTransaction: true);
                }
            }
        }
        """;
    List<ClassDecl> classes = Code.classes(CodeParser.parse(cs, Lang.CSHARP));
    assertEquals(1, classes.size());
    ClassDecl c = classes.get(0);
    assertEquals("Migration", c.annotations().get(0).name());
    assertEquals(List.of("Migration"), c.supertypes());
    List<Call> calls = calls(c.member("Up").method().statements());
    Call add = calls.get(0);
    assertEquals("AddColumn", add.name());
    assertEquals("string", add.typeArgs());
    assertEquals(11, add.line());
    assertEquals("Users", ((Str) add.named("table")).value());
    Call create = calls.stream().filter(x -> x.name().equals("CreateTable")).findFirst().orElseThrow();
    Code.Fn columns = (Code.Fn) create.named("columns");
    Code.Obj cols = (Code.Obj) ((Code.New) columns.expr()).init();
    assertEquals(List.of("Id", "Name"), cols.entries().stream().map(Code.Arg::name).toList());
    Call sql = calls.stream().filter(x -> x.name().equals("Sql")).findFirst().orElseThrow();
    assertEquals("UPDATE \"Users\" SET x = 1", ((Str) sql.arg(0)).value());
    assertEquals("true", ((Code.Name) sql.named("suppressTransaction")).name());
  }

  @Test
  void javaFlywayMigrationWithTextBlocksAndTryWithResources() {
    String java = """
        package db.migration;

        import org.flywaydb.core.api.migration.BaseJavaMigration;

        public class V3__Backfill extends BaseJavaMigration {
          @Override
          public boolean canExecuteInTransaction() { return false; }

          @Override
          public void migrate(Context context) throws Exception {
            try (Statement st = context.getConnection().createStatement()) {
              st.execute(\"""
                  CREATE INDEX CONCURRENTLY idx ON users (email)
                  \""");
              st.execute("ALTER TABLE users " + "DROP COLUMN nick");
            }
          }
        }
        """;
    ClassDecl c = Code.classes(CodeParser.parse(java, Lang.JAVA)).get(0);
    assertEquals(List.of("BaseJavaMigration"), c.supertypes());
    assertNotNull(c.member("canExecuteInTransaction").method());
    assertEquals("Override", c.member("migrate").annotations().get(0).name());
    List<Call> calls = calls(c.member("migrate").method().statements());
    List<Call> executes = calls.stream().filter(x -> x.name().equals("execute")).toList();
    assertEquals(2, executes.size());
    assertEquals("CREATE INDEX CONCURRENTLY idx ON users (email)\n", ((Str) executes.get(0).arg(0)).value());
    assertEquals("ALTER TABLE users DROP COLUMN nick", Code.Constants.of(List.of()).eval(executes.get(1).arg(0)));
  }

  @Test
  void garbageNeverThrowsAndAlwaysEnds() {
    for (Lang lang : Lang.values()) {
      for (String junk : List.of("", "(((((", "}}}}", "'unterminated", "`${", "<<<EOT\nx", "@\"", "/* open",
          "a ? b : ", "function (", "class { public function", "new", "=>".repeat(50), "!".repeat(5000) + "x",
          "(".repeat(3000), "{".repeat(3000), "\"\"\"\nopen")) {
        CodeParser.parse(junk, lang);
      }
    }
  }
}
