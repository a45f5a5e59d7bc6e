package dev.tollgate.contracts.slack;

import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import java.time.Instant;

/**
 * The Slack message that shows an evaluation, as last delivered. Key: evaluationId. Topic:
 * {@link dev.tollgate.contracts.Topics#SLACK_MESSAGES_POSTED} (compacted: the latest record per evaluation is the
 * state). Producer and consumer: the gate's Slack reporter, which reads the topic back when it gets partitions, so
 * a restarted gate calls {@code chat.update} on the same message rather than posting a second one.
 *
 * <p>Holds no token and no message text: only where the message is and a hash of what it last showed.
 *
 * @param channel the Slack channel id the message was posted to
 * @param ts Slack's message timestamp, the message's id within the channel
 * @param contentHash SHA-256 (hex) of the last delivered message body; an identical render is not sent again
 * @param updatedAt when the message was last posted or updated
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlackMessagePosted(
    int schemaVersion,
    String evaluationId,
    String requestId,
    String channel,
    String ts,
    String contentHash,
    Instant updatedAt) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public SlackMessagePosted {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "SlackMessagePosted");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    requireText(channel, "channel");
    requireText(ts, "ts");
    requireText(contentHash, "contentHash");
    requireValue(updatedAt, "updatedAt");
  }

  /** A record in the current schema version. */
  public static SlackMessagePosted of(String evaluationId, String requestId, String channel, String ts, String contentHash,
      Instant updatedAt) {
    return new SlackMessagePosted(SCHEMA_VERSION, evaluationId, requestId, channel, ts, contentHash, updatedAt);
  }
}
