package dev.lunar.agent.iscsi.login;

import java.util.List;
import java.util.Optional;

/** A fixed target list for tests. */
record InMemoryDirectory(List<LoginTarget> all) implements TargetDirectory {

  InMemoryDirectory(LoginTarget... targets) {
    this(List.of(targets));
  }

  @Override
  public Optional<LoginTarget> find(String targetName) {
    return all.stream().filter(t -> t.iqn().equals(targetName)).findFirst();
  }
}
