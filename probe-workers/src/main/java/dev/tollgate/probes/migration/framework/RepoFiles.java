package dev.tollgate.probes.migration.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Other files of the tree a migration comes from, for what the migration file alone does not say: Prisma's
 * {@code migration_lock.toml} (the dialect), a Django app's other migrations (the models' state), the framework's
 * version in {@code package.json}. Paths are relative to the same root as the migration's own path. One instance per
 * tree and evaluation: {@link #memo} shares what readers derive from it (a Django app's history, parsed once).
 */
public interface RepoFiles {
  /** Files larger than this are not read for hints. */
  long MAX_BYTES = 1 << 20;

  /** The text of {@code path}, empty when it does not exist or cannot be read. */
  Optional<String> read(String path);

  /** The files directly in {@code directory} (ending in {@code /}, or {@code ""} for the root), sorted. */
  default List<String> list(String directory) {
    return List.of();
  }

  /** A value derived from this tree, computed once per key. */
  default <T> T memo(Object key, Supplier<T> compute) {
    return compute.get();
  }

  /** No other files (tests, or a file given alone). */
  static RepoFiles none() {
    return path -> Optional.empty();
  }

  /** A repository tree (the candidate or baseline commit): its reader and its list of paths. */
  static RepoFiles of(Function<String, Optional<String>> reader, Supplier<List<String>> paths) {
    return new Tree(reader, paths);
  }

  /** The local file system, relative to the working directory: what {@code lint-migrations} reads. */
  static RepoFiles disk() {
    return new Disk();
  }

  /** A tree read through a function, with a memo. */
  final class Tree implements RepoFiles {
    private final Function<String, Optional<String>> reader;
    private final Supplier<List<String>> paths;
    private final Map<Object, Object> memo = new ConcurrentHashMap<>();

    private Tree(Function<String, Optional<String>> reader, Supplier<List<String>> paths) {
      this.reader = reader;
      this.paths = paths;
    }

    @Override
    public Optional<String> read(String path) {
      return reader.apply(path);
    }

    @Override
    public List<String> list(String directory) {
      Map<String, List<String>> byDir = memo(Tree.class, () -> {
        Map<String, List<String>> m = new java.util.HashMap<>();
        for (String p : paths.get()) {
          m.computeIfAbsent(p.substring(0, p.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(p);
        }
        m.values().forEach(l -> l.sort(null));
        return m;
      });
      return byDir.getOrDefault(directory, List.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Supplier<T> compute) {
      Object v = memo.get(key);
      if (v == null) {
        v = compute.get(); // outside the map: a memoized value may use others
        Object prior = memo.putIfAbsent(key, v);
        v = prior != null ? prior : v;
      }
      return (T) v;
    }
  }

  /** The file system. */
  final class Disk implements RepoFiles {
    private final Map<Object, Object> memo = new ConcurrentHashMap<>();

    private Disk() {}

    @Override
    public Optional<String> read(String path) {
      try {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || Files.size(p) > MAX_BYTES) {
          return Optional.empty();
        }
        return Optional.of(Files.readString(p));
      } catch (IOException | RuntimeException e) {
        return Optional.empty(); // a hint that cannot be read is no hint: the reader falls back to its defaults
      }
    }

    @Override
    public List<String> list(String directory) {
      Path dir = Path.of(directory.isEmpty() ? "." : directory);
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(Files::isRegularFile).map(p -> directory + p.getFileName()).sorted().toList();
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Supplier<T> compute) {
      Object v = memo.get(key);
      if (v == null) {
        v = compute.get();
        Object prior = memo.putIfAbsent(key, v);
        v = prior != null ? prior : v;
      }
      return (T) v;
    }
  }
}
