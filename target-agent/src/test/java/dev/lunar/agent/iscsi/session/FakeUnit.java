package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.Nexus;
import dev.lunar.agent.scsi.ResetKind;
import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * A logical unit that answers every command GOOD and remembers what it was given: the Data-Out of
 * each command, and the resets and aborts the transport passed on. Reads return bytes of {@link
 * #READ_FILL}. Commands arrive on the test's thread (inline, or from the test's executor queue).
 */
final class FakeUnit implements LogicalUnit {

  static final byte READ_FILL = 0x5a;

  final List<byte[]> dataOut = new ArrayList<>();
  final List<ResetKind> resets = new ArrayList<>();
  final List<Long> abortedTags = new ArrayList<>();
  private final int lun;

  FakeUnit(int lun) {
    this.lun = lun;
  }

  @Override
  public int lun() {
    return lun;
  }

  @Override
  public ScsiResult execute(ScsiRequest request) {
    if (request.dataOut() != null) {
      dataOut.add(ByteBufUtil.getBytes(request.dataOut()));
    }
    if (request.expectedDataInLength() > 0) {
      byte[] data = new byte[request.expectedDataInLength()];
      java.util.Arrays.fill(data, READ_FILL);
      return new ScsiResult(ScsiResult.GOOD, Unpooled.wrappedBuffer(data), null, 0);
    }
    return new ScsiResult(ScsiResult.GOOD, null, null, 0);
  }

  @Override
  public void reset(ResetKind kind, Nexus requester) {
    resets.add(kind);
  }

  @Override
  public void abortTask(Nexus nexus, long taskTag) {
    abortedTags.add(taskTag);
  }

  @Override
  public void nexusLost(Nexus nexus) {}

  @Override
  public long sizeBytes() {
    return 64L << 20;
  }

  @Override
  public int blockSize() {
    return 512;
  }

  @Override
  public void close() {}
}
