package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.migration.framework.PythonReader.Assign;
import dev.tollgate.probes.migration.framework.PythonReader.Call;
import dev.tollgate.probes.migration.framework.PythonReader.ClassDef;
import dev.tollgate.probes.migration.framework.PythonReader.FuncDef;
import dev.tollgate.probes.migration.framework.PythonReader.Seq;
import dev.tollgate.probes.migration.framework.PythonReader.Str;
import dev.tollgate.probes.migration.framework.PythonReader.With;
import org.junit.jupiter.api.Test;

/** The static Python reader on what Django and Alembic migrations use, and on broken input. */
class PythonReaderTest {
  @Test
  void readsAMigrationClassWithNestedCallsTernariesAndComments() {
    PythonReader.Result r = PythonReader.read("""
        from django.conf import settings
        from django.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [
                ("site", "0050_x"),  # a comment
            ]

            operations = [
                migrations.AddField(
                    model_name="sitesettings",
                    name="mode",
                    field=models.CharField(
                        choices=[("a", "Required for merging"), ("b", "B")],
                        default=(
                            "a"
                            if settings.FLAG
                            else "b"
                        ),
                        max_length=30,
                    ),
                ),
            ]
        """);
    assertNull(r.error(), r.error());
    ClassDef c = (ClassDef) r.nodes().get(2);
    Assign ops = (Assign) c.body().get(1);
    Seq list = assertInstanceOf(Seq.class, ops.value());
    Call add = (Call) list.items().get(0);
    assertEquals("migrations.AddField", add.func());
    assertEquals(11, add.line());
    Call field = (Call) add.kw("field");
    assertEquals("CharField", field.simpleName());
    assertEquals("30", ((PythonReader.Num) field.kw("max_length")).text());
  }

  @Test
  void readsFunctionsWithBlocksAndTripleQuotedStringsWithTheirOffsets() {
    String src = """
        def upgrade():
            with op.get_context().autocommit_block():
                op.execute(\"\"\"
                    CREATE INDEX CONCURRENTLY ix ON t (c)
                \"\"\")
            with op.batch_alter_table("users") as batch_op:
                batch_op.drop_column("nick")
        """;
    PythonReader.Result r = PythonReader.read(src);
    assertNull(r.error(), r.error());
    FuncDef f = (FuncDef) r.nodes().get(0);
    With auto = (With) f.body().get(0);
    Call exec = (Call) ((PythonReader.ExprStmt) auto.body().get(0)).value();
    Str sql = (Str) exec.arg(0);
    assertTrue(src.substring(sql.from(), sql.to()).contains("CREATE INDEX CONCURRENTLY"));
    With batch = (With) f.body().get(1);
    assertEquals("batch_op", batch.as());
    assertEquals(7, batch.body().get(0).line());
  }

  @Test
  void brokenInputIsReportedNotThrown() {
    assertNotNull(PythonReader.read("op.execute(\"unterminated\n").error());
    assertNotNull(PythonReader.read("def upgrade(:\n  ((((\n").nodes());
  }
}
