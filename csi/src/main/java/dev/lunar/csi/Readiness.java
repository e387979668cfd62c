package dev.lunar.csi;

import java.util.Optional;

/**
 * Whether a CSI endpoint can do its work now, and if not, why: the answer behind Identity's Probe.
 * A check must be cheap and must not block, since the sidecars and the health endpoint probe every
 * few seconds with a one-second deadline.
 */
@FunctionalInterface
public interface Readiness {

  /** Ready, whatever happens: for endpoints with nothing worth checking. */
  Readiness ALWAYS = Optional::empty;

  /** Empty when ready; otherwise the reason, in words for the person reading a failed probe. */
  Optional<String> problem();
}
