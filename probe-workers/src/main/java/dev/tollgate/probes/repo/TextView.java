package dev.tollgate.probes.repo;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a scan reads of a file whatever its encoding: the author of a change chooses every byte of it, and a NUL is
 * enough for git to call a file binary. UTF-16 and UTF-32 text (with or without a byte order mark) is read as UTF-8
 * followed by the printable runs of its raw bytes: "wide" is a guess from a mark or the first 8000 bytes, and two
 * bytes FF FE before ASCII, or a wide head before an ASCII tail, must not turn a key into CJK the scan never sees.
 * Any other file with a NUL in its first 8000 bytes (git's test) is read as its printable runs, one per line, as
 * {@code strings} would, so a key behind a NUL or inside a binary is still text to the scan. Plain text is unchanged.
 */
public final class TextView {
  /** Bytes git looks at for a NUL. */
  private static final int PROBE = 8000;

  private TextView() {}

  /** How a file's bytes are read. */
  public enum Kind { TEXT, WIDE_TEXT, BINARY }

  /** How a file was read, and its text. */
  public record Read(Kind kind, byte[] text) {}

  /**
   * How {@code bytes} are read and their text: for wide text its UTF-8 then, after a line break, the raw bytes'
   * printable runs (both readings, so a wrong guess of "wide" hides nothing); printable runs for binary; else
   * {@code bytes} themselves. One look for a NUL per file: this runs on both sides of every file of a range.
   */
  public static Read read(byte[] bytes) {
    boolean nul = hasNul(bytes);
    Charset wide = wide(bytes, nul);
    if (wide != null) {
      byte[] text = transcode(bytes, wide);
      byte[] both = java.util.Arrays.copyOf(text, text.length + 1 + bytes.length);
      both[text.length] = '\n';
      System.arraycopy(printable(bytes), 0, both, text.length + 1, bytes.length);
      return new Read(Kind.WIDE_TEXT, both);
    }
    return nul ? new Read(Kind.BINARY, printable(bytes)) : new Read(Kind.TEXT, bytes);
  }

  /** The text of {@code bytes} as {@link #read} reads it. */
  public static byte[] of(byte[] bytes) {
    return read(bytes).text();
  }

  /** UTF-8 text of {@code bytes}: wide text transcoded, anything else decoded as UTF-8 as it is. */
  public static String utf8(byte[] bytes) {
    Charset wide = wide(bytes, hasNul(bytes));
    return new String(wide == null ? bytes : transcode(bytes, wide), StandardCharsets.UTF_8);
  }

  /** True when the first 8000 bytes hold a NUL, as git decides. Eight bytes per step: this runs on every file. */
  private static boolean hasNul(byte[] content) {
    int n = Math.min(content.length, PROBE);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long v = (long) LONGS.get(content, i);
      if (((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0) {
        return true; // some byte of v is zero
      }
    }
    for (; i < n; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * The charset of UTF-16 or UTF-32 text, or null: a byte order mark, or without one the pattern of zero bytes ASCII
   * text leaves in the first 8000 bytes (at least 90% of the high bytes zero, at most 10% of the low ones).
   */
  private static Charset wide(byte[] b, boolean nul) {
    if (b.length >= 4 && b[0] == (byte) 0xFF && b[1] == (byte) 0xFE && b[2] == 0 && b[3] == 0) {
      return Charset.forName("UTF-32LE");
    }
    if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == (byte) 0xFE && b[3] == (byte) 0xFF) {
      return Charset.forName("UTF-32BE");
    }
    if (b.length >= 2 && b[0] == (byte) 0xFF && b[1] == (byte) 0xFE) {
      return StandardCharsets.UTF_16LE;
    }
    if (b.length >= 2 && b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) {
      return StandardCharsets.UTF_16BE;
    }
    int n = Math.min(b.length, PROBE) & ~3;
    if (n < 8 || !nul) {
      return null; // text without a mark has no NUL (most files stop here)
    }
    int[] zeros = new int[4];
    for (int i = 0; i < n; i++) {
      if (b[i] == 0) {
        zeros[i & 3]++;
      }
    }
    int per = n / 4;
    if (mostly(zeros[1], per) && mostly(zeros[2], per) && mostly(zeros[3], per) && rarely(zeros[0], per)) {
      return Charset.forName("UTF-32LE");
    }
    if (mostly(zeros[0], per) && mostly(zeros[1], per) && mostly(zeros[2], per) && rarely(zeros[3], per)) {
      return Charset.forName("UTF-32BE");
    }
    if (mostly(zeros[1] + zeros[3], 2 * per) && rarely(zeros[0] + zeros[2], 2 * per)) {
      return StandardCharsets.UTF_16LE;
    }
    if (mostly(zeros[0] + zeros[2], 2 * per) && rarely(zeros[1] + zeros[3], 2 * per)) {
      return StandardCharsets.UTF_16BE;
    }
    return null;
  }

  private static boolean mostly(int count, int of) {
    return count * 10L >= of * 9L;
  }

  private static boolean rarely(int count, int of) {
    return count * 10L <= of;
  }

  private static byte[] transcode(byte[] bytes, Charset from) {
    try {
      String text = from.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
      if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
        text = text.substring(1);
      }
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      return printable(bytes); // not reached with REPLACE; the printable runs are the safe reading anyway
    }
  }

  /**
   * The runs of printable bytes (tab, CR, LF, 0x20-0x7E, and bytes of 0x80 and up, which UTF-8 text is made of), every
   * other byte a line break: what a key inside a binary looks like to a scan of lines.
   */
  private static byte[] printable(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      int c = bytes[i] & 0xFF;
      out[i] = c == '\t' || c == '\r' || c == '\n' || (c >= 0x20 && c != 0x7F) ? bytes[i] : (byte) '\n';
    }
    return out;
  }
}
