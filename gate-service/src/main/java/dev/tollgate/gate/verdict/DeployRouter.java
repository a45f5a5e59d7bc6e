package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.lock.LockRequested;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys the end of a deploy by {@code tenant|environment}, so it reaches the environment gate's task; starts and
 * unreadable records are left out (the views and the dead-letter path of other consumers see them).
 */
final class DeployRouter implements Processor<String, byte[], String, byte[]> {
  private ProcessorContext<String, byte[]> context;

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    DeploymentRecorded d;
    try {
      d = Json.read(record.value(), DeploymentRecorded.class);
    } catch (Json.MalformedMessageException e) {
      return;
    }
    if (d.status() != DeployStatus.STARTED) {
      context.forward(record.withKey(LockRequested.environmentKey(d.tenant(), d.environment())));
    }
  }
}
