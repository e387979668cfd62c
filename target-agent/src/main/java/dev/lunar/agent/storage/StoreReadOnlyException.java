package dev.lunar.agent.storage;

import java.io.IOException;

/** A write reached a store that refuses writes; the SCSI layer answers DATA PROTECT. */
public final class StoreReadOnlyException extends IOException {

  public StoreReadOnlyException(String store) {
    super(store + " is read-only");
  }
}
