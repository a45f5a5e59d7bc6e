package dev.tollgate.probes.calendar;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches iCalendar feeds and keeps them: a fetched copy is used for the feed's {@code refresh} time, a failed fetch
 * is not retried for {@link #FAILURE_BACKOFF} (so a dead feed does not slow every evaluation), and the last good copy
 * is kept for {@link FeedSpec.OnError#LAST_GOOD}. Time comes from the injected {@link Ticker} (tests move it; they
 * never sleep). Thread-safe.
 */
public final class FeedCache {
  private static final Logger log = LoggerFactory.getLogger(FeedCache.class);
  /** How long a failed fetch is remembered before trying again. */
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(30);
  private static final int MAX_BYTES = 5 * 1024 * 1024;

  /** Reads a feed's bytes. */
  @FunctionalInterface
  public interface Fetcher {
    /** The feed text. @throws IOException when it cannot be read */
    String fetch(URI uri) throws IOException;
  }

  /** What a feed gave: its windows, and why it is degraded or failed. */
  record Result(List<Recurrence> events, String warning, String error) {
    static Result ok(List<Recurrence> events) {
      return new Result(events, null, null);
    }
  }

  private record Copy(String text, long fetchedAtNanos, Duration refresh) {}

  private final Fetcher fetcher;
  private final Ticker ticker;
  private final Cache<URI, Copy> fresh;
  private final Cache<URI, Copy> lastGood;
  private final Cache<URI, String> failures;

  /** A cache fetching with {@code fetcher}, on {@code ticker}'s time. */
  public FeedCache(Fetcher fetcher, Ticker ticker) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.fresh = Caffeine.newBuilder().ticker(ticker).maximumSize(500).expireAfter(new Expiry<URI, Copy>() {
      @Override
      public long expireAfterCreate(URI key, Copy value, long currentTime) {
        return value.refresh().toNanos();
      }

      @Override
      public long expireAfterUpdate(URI key, Copy value, long currentTime, long currentDuration) {
        return value.refresh().toNanos();
      }

      @Override
      public long expireAfterRead(URI key, Copy value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    }).build();
    this.lastGood = Caffeine.newBuilder().ticker(ticker).maximumSize(500).build();
    this.failures = Caffeine.newBuilder().ticker(ticker).maximumSize(500).expireAfterWrite(FAILURE_BACKOFF).build();
  }

  /** The production cache: HTTPS (and loopback HTTP) with timeouts, and {@code file:} URLs. */
  public static FeedCache standard() {
    return new FeedCache(new HttpFetcher(), Ticker.systemTicker());
  }

  /**
   * The feed's windows. Never throws for an unreadable feed: the result carries the error (fail closed) or the last
   * good copy with a warning, by the feed's policy.
   */
  Result load(FeedSpec spec) {
    if (spec.content() != null) {
      try {
        return Result.ok(IcsFeed.parse(spec.name(), spec.content(), spec.zone()));
      } catch (IllegalArgumentException e) {
        return new Result(List.of(), null, e.getMessage());
      }
    }
    URI uri = spec.uri();
    Copy copy = fresh.getIfPresent(uri);
    String error = null;
    if (copy == null) {
      error = failures.getIfPresent(uri);
      if (error == null) {
        try {
          String text = fetcher.fetch(uri);
          IcsFeed.parse(spec.name(), text, spec.zone()); // only a parseable copy is kept
          copy = new Copy(text, ticker.read(), spec.refresh());
          fresh.put(uri, copy);
          lastGood.put(uri, copy);
        } catch (IOException | IllegalArgumentException e) {
          error = "feed " + spec.name() + " could not be read: " + e.getMessage();
          failures.put(uri, error);
          log.atWarn().addKeyValue("event", "calendar.feed.failed").addKeyValue("feed", spec.name())
              .addKeyValue("onError", spec.onError().name()).log("calendar feed could not be read");
        }
      }
    }
    if (copy != null) {
      return Result.ok(IcsFeed.parse(spec.name(), copy.text(), spec.zone()));
    }
    if (spec.onError() == FeedSpec.OnError.LAST_GOOD) {
      Copy old = lastGood.getIfPresent(uri);
      if (old != null) {
        Duration age = Duration.ofNanos(ticker.read() - old.fetchedAtNanos());
        if (age.compareTo(spec.maxStale()) <= 0) {
          return new Result(IcsFeed.parse(spec.name(), old.text(), spec.zone()),
              error + "; using the last good copy, " + dev.tollgate.contracts.Durations.format(age) + " old", null);
        }
        return new Result(List.of(), null, error + "; the last good copy is " + dev.tollgate.contracts.Durations.format(age)
            + " old, more than maxStale " + dev.tollgate.contracts.Durations.format(spec.maxStale()));
      }
    }
    return new Result(List.of(), null, error);
  }

  /** Reads https URLs (and http on loopback) with timeouts and a size limit, and file: URLs. */
  static final class HttpFetcher implements Fetcher {
    /** Built on the first fetch: an HttpClient sets up TLS, a cost every CLI command would pay otherwise. */
    private static final class Client {
      static final HttpClient INSTANCE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String fetch(URI uri) throws IOException {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("file")) {
        return read(Files.newInputStream(Path.of(uri)));
      }
      if (!scheme.equals("https") && !(scheme.equals("http") && loopback(uri))) {
        throw new IOException("only https URLs (or http on a loopback address) are fetched, got " + scheme + ":");
      }
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Accept", "text/calendar").GET().build();
      try {
        HttpResponse<InputStream> response = Client.INSTANCE.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          response.body().close();
          throw new IOException("HTTP " + response.statusCode());
        }
        return read(response.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }

    /** localhost or a loopback IP literal; never a DNS lookup, so a name cannot be pointed at loopback later. */
    private static boolean loopback(URI uri) throws IOException {
      String host = uri.getHost();
      if (host == null) {
        return false;
      }
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      boolean literal = host.matches("[0-9.]+") || host.startsWith("[");
      return literal && InetAddress.getByName(host).isLoopbackAddress();
    }

    private static String read(InputStream in) throws IOException {
      try (in) {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          throw new IOException("feed larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
  }
}
