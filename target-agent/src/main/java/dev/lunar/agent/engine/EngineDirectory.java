package dev.lunar.agent.engine;

import dev.lunar.agent.iscsi.login.LoginTarget;
import dev.lunar.agent.iscsi.login.TargetDirectory;
import dev.lunar.agent.target.LiveTarget;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The engine's live targets as login and discovery see them: names, ACLs and CHAP accounts. */
public final class EngineDirectory implements TargetDirectory {

  /** Lunar serves every target on every portal in one portal group. */
  static final int PORTAL_GROUP_TAG = 1;

  private final Engine engine;

  public EngineDirectory(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Optional<LoginTarget> find(String targetName) {
    return engine.targets().stream()
        .filter(t -> t.iqn().equals(targetName))
        .findFirst()
        .map(EngineDirectory::view);
  }

  @Override
  public List<LoginTarget> all() {
    return engine.targets().stream()
        .sorted(Comparator.comparingInt(LiveTarget::tid))
        .map(EngineDirectory::view)
        .toList();
  }

  private static LoginTarget view(LiveTarget target) {
    return target.loginTarget(PORTAL_GROUP_TAG);
  }
}
