package dev.lunar.agent.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainingRunTest {

  /**
   * The AOT cache's training workload runs against the real target in this JVM: discovery, login,
   * every shape of READ and WRITE, each read checked against what was written, and a logout.
   */
  @Test
  void trainingWorkloadCompletesAndReadsBackWhatItWrote() throws Exception {
    TrainingRun.Summary summary = TrainingRun.train(1);

    // 4 + 128 + 256 large, 20,000 + 16,384 + 4,000 small commands
    assertThat(summary.commands()).isEqualTo(40_772);
    assertThat(summary.bytes() >> 20).isEqualTo(776);
  }

  @Test
  void aScaleOutsideOneToHundredIsRefused() {
    assertThat(TrainingRun.run(new String[] {"0"})).isEqualTo(2);
    assertThat(TrainingRun.run(new String[] {"lots"})).isEqualTo(2);
  }
}
