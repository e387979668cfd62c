package dev.lunar.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.session.SessionRegistry;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.scsi.LogicalUnits;
import dev.lunar.agent.scsi.Nexus;
import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A restart is not a power cycle: restored units raise no POWER ON unit attention. */
class EngineRestoreTest {

  private static final String IQN = "iqn.2026-11.dev.lunar.test:restore";
  private static final Nexus NEXUS = new Nexus("iqn.2026-11.dev.lunar.test:host", 1, IQN, 1);

  private static TargetSetSpec spec() {
    LunSpec lun =
        new LunSpec(1, null, "mem", 1 << 20, 512, false, false, null, null, true, false, 0);
    return new TargetSetSpec(
        List.of(
            new TargetSpec(
                1, IQN, List.of(lun), List.of("ALL"), List.of(), List.of(), null, Map.of())),
        List.of());
  }

  private static int testUnitReady(Engine engine) {
    ScsiResult result =
        engine.target(1).unit(1).execute(new ScsiRequest(NEXUS, new byte[6], null, 0, 1, 1));
    return result.status();
  }

  @Test
  void aNewlyAppliedUnitGreetsEachNexusWithPowerOnReset() {
    Engine engine = new Engine(new SessionRegistry(), LogicalUnits::open);
    engine.apply(spec());

    assertThat(testUnitReady(engine)).isEqualTo(ScsiResult.CHECK_CONDITION);
    assertThat(testUnitReady(engine)).isEqualTo(ScsiResult.GOOD);
    engine.close();
  }

  @Test
  void aRestoredUnitAnswersAtOnce() {
    Engine engine = new Engine(new SessionRegistry(), LogicalUnits::open);
    engine.restore(spec());

    assertThat(testUnitReady(engine)).isEqualTo(ScsiResult.GOOD);
    engine.close();
  }
}
