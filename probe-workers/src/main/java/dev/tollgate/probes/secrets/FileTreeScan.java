package dev.tollgate.probes.secrets;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Scans files and directory trees without git ({@code tollgate scan-secrets PATH...}): every regular file under
 * each path except {@code .git}, symbolic links not followed, files in parallel. Paths in findings are relative to
 * the directory given, or the file path as given.
 */
public final class FileTreeScan {
  private FileTreeScan() {}

  /** One file to scan: where it is and how it is reported. */
  private record Target(Path file, String name, long size) {}

  /** The outcome of one file. */
  private record Result(List<SecretFinding> findings, ScanWarning warning, long bytes) {}

  /**
   * Scans {@code roots}.
   *
   * @param scanner the scanner, or a future of it: the tree is listed while it loads (a CLI run overlaps the rule
   *     book's parsing with the directory walk)
   * @param maxFileBytes larger files are skipped with a warning
   * @param threads files scanned at once
   * @throws IOException when a root does not exist or cannot be listed
   */
  public static ScanReport scan(java.util.concurrent.Future<SecretScanner> scanner, List<Path> roots, long maxFileBytes,
      int threads) throws IOException, InterruptedException {
    List<Target> targets = new ArrayList<>();
    for (Path root : roots) {
      collect(root, targets);
    }
    SecretScanner ready;
    try {
      ready = scanner.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
    List<Result> results;
    try {
      results = pool.submit(() -> targets.parallelStream().map(t -> scanOne(ready, t, maxFileBytes)).toList()).get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    } finally {
      pool.shutdown();
    }
    Map<String, SecretFinding> byFingerprint = new LinkedHashMap<>();
    List<ScanWarning> warnings = new ArrayList<>();
    long bytes = 0;
    int files = 0;
    for (Result r : results) {
      r.findings().forEach(f -> byFingerprint.putIfAbsent(f.fingerprint(), f));
      if (r.warning() != null) {
        warnings.add(r.warning());
      } else {
        files++;
        bytes += r.bytes();
      }
    }
    List<SecretFinding> findings = new ArrayList<>(byFingerprint.values());
    findings.sort(Comparator.comparing(SecretFinding::file).thenComparingInt(SecretFinding::line).thenComparing(SecretFinding::ruleId));
    return new ScanReport(findings, warnings, bytes, files);
  }

  private static RuntimeException unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    return cause instanceof RuntimeException re ? re : new IllegalStateException(cause.getClass().getSimpleName());
  }

  private static void collect(Path root, List<Target> out) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(root + ": no such file or directory");
    }
    if (!Files.isDirectory(root)) {
      out.add(new Target(root, root.toString().replace('\\', '/'), Files.size(root)));
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.getFileName() != null && dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          out.add(new Target(file, root.relativize(file).toString().replace('\\', '/'), attrs.size()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        out.add(new Target(file, root.relativize(file).toString().replace('\\', '/'), -1));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static Result scanOne(SecretScanner scanner, Target t, long maxFileBytes) {
    if (t.size() > maxFileBytes) {
      return new Result(List.of(), new ScanWarning(t.name(), null, "not scanned: larger than the file limit of "
          + maxFileBytes + " bytes (" + t.size() + " bytes)", dev.tollgate.probes.api.ReadLimit.FILE_SIZE), 0);
    }
    byte[] content;
    try {
      content = t.size() < 0 ? null : Files.readAllBytes(t.file());
    } catch (IOException e) {
      content = null;
    }
    if (content == null) {
      // The exception's message is not used: only the path, which the caller gave.
      return new Result(List.of(), new ScanWarning(t.name(), null, "not scanned: cannot be read",
          dev.tollgate.probes.api.ReadLimit.UNPARSEABLE), 0);
    }
    return new Result(scanner.scanFile(t.name(), content), null, content.length);
  }
}
