package dev.lunar.agent.iscsi.login;

import java.util.List;
import java.util.Optional;

/** The targets an initiator may log in to, as login and discovery see them. */
public interface TargetDirectory {

  /** The target named {@code targetName} (exact iSCSI name), if it exists. */
  Optional<LoginTarget> find(String targetName);

  /** Every target, in a stable order (by tid). */
  List<LoginTarget> all();
}
