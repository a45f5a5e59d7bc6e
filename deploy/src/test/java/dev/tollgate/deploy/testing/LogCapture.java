package dev.tollgate.deploy.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures what Tollgate (and JGit) log while it is open, as the text a log store would hold: message, key-values
 * and exception messages, so a test can assert a secret never reaches the logs.
 */
public final class LogCapture implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender;
  private final Logger root;
  private final List<Logger> raised = new ArrayList<>();
  private final List<Level> before = new ArrayList<>();

  /** Starts capturing; {@code debugLoggers} are set to DEBUG until closed (more output to search). */
  public LogCapture(String... debugLoggers) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
        if (e.getKeyValuePairs() != null) {
          e.getKeyValuePairs().forEach(kv -> b.append(' ').append(kv.key).append('=').append(kv.value));
        }
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
          b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        lines.add(b.toString());
      }
    };
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    for (String name : debugLoggers) {
      Logger l = context.getLogger(name);
      raised.add(l);
      before.add(l.getLevel());
      l.setLevel(Level.DEBUG);
    }
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The captured lines containing {@code text}. */
  public List<String> containing(String text) {
    return lines.stream().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    for (int i = 0; i < raised.size(); i++) {
      raised.get(i).setLevel(before.get(i));
    }
  }
}
