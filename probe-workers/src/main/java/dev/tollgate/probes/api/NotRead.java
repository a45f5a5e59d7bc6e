package dev.tollgate.probes.api;

import java.util.Objects;

/**
 * Something a probe had to read and could not read completely; each probe's {@code read-incomplete} rule turns it
 * into a finding through {@link ReadLimits#violation}.
 *
 * @param file the file, or null when it is about the whole range (a cut commit window)
 * @param limit the bound that cut it
 * @param message what was not read and why, naming the bound; never the file's content
 */
public record NotRead(String file, ReadLimit limit, String message) {
  public NotRead {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(message, "message");
  }

  /** A file over {@code worker.maxFileBytes}. */
  public static NotRead tooLarge(String file, long size, long limit, String what) {
    return new NotRead(file, ReadLimit.FILE_SIZE, what + " not read: " + size + " bytes, over the file limit of " + limit
        + " bytes (worker.maxFileBytes)");
  }

  /** A file that could not be parsed, for a reason that names no content. */
  public static NotRead unparseable(String file, String what, String why) {
    return new NotRead(file, ReadLimit.UNPARSEABLE, what + " cannot be read: " + why);
  }
}
