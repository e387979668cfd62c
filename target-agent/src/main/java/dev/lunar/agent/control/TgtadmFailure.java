package dev.lunar.agent.control;

import dev.lunar.agent.tgtadm.TgtadmError;

/** A request refused with one of tgt's answers; carries no text of its own. */
final class TgtadmFailure extends Exception {

  private final TgtadmError error;

  TgtadmFailure(TgtadmError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  TgtadmError error() {
    return error;
  }
}
