package dev.tollgate.deploy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real command line, {@code java -jar target/tollgate.jar ARGS} (failsafe runs after the jar is packaged), in a
 * working directory, and captures what a user sees: exit code, standard output and standard error.
 */
public final class TollgateCli {
  static final Path JAR = Path.of("target", "tollgate.jar").toAbsolutePath();

  /** What one command printed. */
  public record Result(int exit, String out, String err) {}

  private TollgateCli() {}

  public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("tollgate-cli", ".out");
    Path err = Files.createTempFile("tollgate-cli", ".err");
    try {
      Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
          .start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("tollgate " + String.join(" ", args) + " did not finish in 3 minutes");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
