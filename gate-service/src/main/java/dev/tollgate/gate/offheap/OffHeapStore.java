package dev.tollgate.gate.offheap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A local, ordered byte store outside the Java heap (RocksDB), for what a view must answer about but not hold: decided
 * evaluations, the orders lists read them in, attestation locations. It is a cache of what Kafka holds: its directory is
 * wiped when it opens and deleted when it closes, and nothing is written ahead (no WAL, no fsync); a crashed gate
 * rebuilds it from the topics on start, as it rebuilds the views.
 *
 * <p>Its own memory is bounded: a {@value #BLOCK_CACHE_BYTES}-byte block cache (index and filter blocks in it) and two
 * write buffers of {@value #WRITE_BUFFER_BYTES} bytes. Thread-safe: one writer and any number of readers; after
 * {@link #close()} reads find nothing and writes are dropped (a reader racing a shutdown must not touch freed memory).
 */
public final class OffHeapStore implements AutoCloseable {
  static final long BLOCK_CACHE_BYTES = 8L << 20;
  static final long WRITE_BUFFER_BYTES = 4L << 20;

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  /** Held for the store's life on a sibling file of {@link #dir} (null for a temporary store, whose directory is new). */
  private final FileChannel lockFile;
  private final LRUCache cache;
  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  /** Reads and writes hold it shared; close holds it alone. */
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private OffHeapStore(Path dir, FileChannel lockFile) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.cache = new LRUCache(BLOCK_CACHE_BYTES);
    this.options = new Options().setCreateIfMissing(true).setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2)
        .setMaxOpenFiles(256).setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setCacheIndexAndFilterBlocks(true));
    this.writeOptions = new WriteOptions().setDisableWAL(true).setSync(false);
    try {
      this.db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      writeOptions.close();
      options.close();
      cache.close();
      release(lockFile);
      throw new IllegalStateException("cannot open the off-heap store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an empty store in {@code dir}, deleting whatever an earlier run left there, once it holds the lock file
   * {@code <dir>.lock} (kept until {@link #close()}): a second gate given the same directory must not wipe the files of
   * the one running there.
   *
   * @throws IllegalStateException when another store (in this or another process) holds {@code dir}
   * @throws IllegalArgumentException when {@code dir} is a file system root (it would be wiped)
   */
  public static OffHeapStore open(Path dir) {
    Path name = dir.toAbsolutePath().getFileName();
    if (name == null) {
      throw new IllegalArgumentException("off-heap store directory: expected a directory below a root, got \"" + dir + "\"");
    }
    Path lockPath = dir.toAbsolutePath().resolveSibling(name + ".lock");
    FileChannel lockFile;
    try {
      Files.createDirectories(lockPath.getParent());
      lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the off-heap store's lock file " + lockPath, e);
    }
    try {
      FileLock held;
      try {
        held = lockFile.tryLock();
      } catch (OverlappingFileLockException e) {
        held = null; // held by this process
      }
      if (held == null) {
        throw new IllegalStateException("off-heap store directory " + dir + " is in use by another gate (" + lockPath
            + " is locked): give each gate its own state directory");
      }
      delete(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      release(lockFile);
      throw new UncheckedIOException("cannot prepare the off-heap store in " + dir, e);
    } catch (RuntimeException e) {
      release(lockFile);
      throw e;
    }
    return new OffHeapStore(dir, lockFile);
  }

  private static void release(FileChannel lockFile) {
    if (lockFile == null) {
      return;
    }
    try {
      lockFile.close(); // releases the lock
    } catch (IOException e) {
      // The process's exit releases it too.
    }
  }

  /** Opens an empty store in a new temporary directory (deleted on close). */
  public static OffHeapStore temporary(String name) {
    try {
      return new OffHeapStore(Files.createTempDirectory("tollgate-" + name + "-"), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary off-heap store", e);
    }
  }

  /** The value of {@code key}, or null. */
  public byte[] get(byte[] key) {
    lock.readLock().lock();
    try {
      return closed ? null : db.get(key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("off-heap store read failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Applies the puts and deletes {@code edits} makes, atomically (readers see all of them or none). */
  public void write(Consumer<Batch> edits) {
    lock.readLock().lock();
    try (WriteBatch batch = new WriteBatch()) {
      if (closed) {
        return;
      }
      edits.accept(new Batch(batch));
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("off-heap store write failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Puts and deletes of one {@link #write}. */
  public static final class Batch {
    private final WriteBatch batch;

    Batch(WriteBatch batch) {
      this.batch = batch;
    }

    public void put(byte[] key, byte[] value) {
      try {
        batch.put(key, value);
      } catch (RocksDBException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }

    public void delete(byte[] key) {
      try {
        batch.delete(key);
      } catch (RocksDBException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
  }

  /**
   * Visits the keys that start with {@code prefix}, in byte order, from the first at or after {@code from} (null: from
   * the prefix's start), until {@code visitor} returns false. Reads a consistent snapshot.
   *
   * @throws IllegalStateException when the store cannot be read to the end of what was asked (never a short answer)
   */
  public void scan(byte[] prefix, byte[] from, Predicate<byte[]> visitor) {
    lock.readLock().lock();
    try {
      if (closed) {
        return;
      }
      try (RocksIterator it = db.newIterator()) {
        it.seek(from == null ? prefix : from);
        for (; it.isValid(); it.next()) {
          byte[] key = it.key();
          if (!startsWith(key, prefix) || !visitor.test(key)) {
            return;
          }
        }
        // An iterator also stops being valid on an I/O error or corruption: a short list must not pass as complete (an
        // attestation's newest revision missing would serve an older one as the latest).
        it.status();
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("off-heap store scan failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Bytes RocksDB holds in memory now: block cache, memtables and table readers (the metrics of its RSS). */
  public long memoryBytes() {
    lock.readLock().lock();
    try {
      if (closed) {
        return 0;
      }
      return cache.getUsage() + Long.parseLong(db.getProperty("rocksdb.cur-size-all-mem-tables"))
          + Long.parseLong(db.getProperty("rocksdb.estimate-table-readers-mem"));
    } catch (RocksDBException | NumberFormatException e) {
      return -1;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Bytes of the store's table files on disk. */
  public long diskBytes() {
    lock.readLock().lock();
    try {
      return closed ? 0 : Long.parseLong(db.getProperty("rocksdb.total-sst-files-size"));
    } catch (RocksDBException | NumberFormatException e) {
      return -1;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      db.close();
      writeOptions.close();
      options.close();
      cache.close();
    } finally {
      lock.writeLock().unlock();
    }
    try {
      delete(dir);
    } catch (IOException e) {
      // A leftover cache directory is wiped on the next start.
    } finally {
      release(lockFile); // after the delete: no other store may open the directory while it is being wiped
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // Key encoding: byte order is the order scans visit.

  /** {@code s} as UTF-8 after its length (two bytes), so that no name is a prefix of another's key. */
  public static byte[] name(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + b.length).putShort((short) b.length).put(b).array();
  }

  /** Length of {@link #newestFirst}'s encoding. */
  public static final int TIME_BYTES = 12;

  /** {@code at} encoded so that byte order is newest first; null after every time (as a list shows unknown times last). */
  public static byte[] newestFirst(Instant at) {
    ByteBuffer b = ByteBuffer.allocate(TIME_BYTES);
    if (at == null) {
      return b.putLong(-1L).putInt(-1).array();
    }
    // Flipping the sign bit makes signed order unsigned; complementing makes it descending.
    return b.putLong(~(at.getEpochSecond() ^ Long.MIN_VALUE)).putInt(~at.getNano()).array();
  }

  /** The time {@link #newestFirst} encoded at {@code offset} of {@code key} (null for unknown). */
  public static Instant timeAt(byte[] key, int offset) {
    ByteBuffer b = ByteBuffer.wrap(key, offset, TIME_BYTES);
    long s = b.getLong();
    int n = b.getInt();
    if (s == -1L && n == -1) {
      return null;
    }
    return Instant.ofEpochSecond(~s ^ Long.MIN_VALUE, ~n);
  }

  /** The concatenation of {@code parts}. */
  public static byte[] key(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  /** UTF-8 of {@code s}. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** UTF-8 text from {@code offset} to the end of {@code key}. */
  public static String utf8(byte[] key, int offset) {
    return new String(key, offset, key.length - offset, StandardCharsets.UTF_8);
  }
}
