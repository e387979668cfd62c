package dev.lunar.agent.control;

import static dev.lunar.agent.tgtadm.TgtadmError.INVALID_REQUEST;
import static dev.lunar.agent.tgtadm.TgtadmError.LUN_EXIST;
import static dev.lunar.agent.tgtadm.TgtadmError.NO_LUN;
import static dev.lunar.agent.tgtadm.TgtadmError.UNSUPPORTED_OPERATION;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --mode logicalunit}: new, delete and update, refusing with tgt's errors. */
final class LunEdits {

  /** Backing store types this daemon implements (tgt's names). */
  private static final Set<String> BS_TYPES = Set.of("rdwr", "null", "mem");

  private static final Set<String> BS_OFLAGS =
      Set.of("sync", "direct", "sync:direct", "direct:sync");

  private static final Logger log = LoggerFactory.getLogger(LunEdits.class);

  private LunEdits() {}

  private static int lun(TgtadmRequest request) throws TgtadmFailure {
    long lun = request.number("lun").orElse(-1);
    if (lun < 0 || lun > Integer.MAX_VALUE) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    return (int) lun;
  }

  static SpecEdit create(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    TargetSpec target = TargetEdits.existing(spec, TargetEdits.tid(request));
    int lun = lun(request);
    // LUN 0 is the controller tgt creates with every target, so it "already exists".
    if (lun == 0 || target.lunSpec(lun) != null) {
      throw new TgtadmFailure(LUN_EXIST);
    }
    String deviceType = request.option("device-type").orElse("disk");
    if (!deviceType.equals("disk")) {
      throw new TgtadmFailure(UNSUPPORTED_OPERATION);
    }
    String bsType = request.option("bstype").orElse("rdwr");
    String oflags = request.option("bsoflags").orElse(null);
    if (!BS_TYPES.contains(bsType) || (oflags != null && !BS_OFLAGS.contains(oflags))) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    LunSpec disk =
        LunSpec.tgtDefault(target.tid(), lun, request.option("backing-store").orElse(null))
            .withBsType(bsType);
    if (request.has("blocksize")) {
      disk = disk.withBlockSize(blockSize(request.option("blocksize").orElseThrow()));
    }
    List<LunSpec> luns = new ArrayList<>(target.luns());
    luns.add(disk);
    return new SpecEdit(spec.withTarget(target.withLuns(luns)), target.tid(), lun);
  }

  /**
   * tgtd 1.0.85 answers success to a block size it cannot use and keeps 512; scripts rely on the
   * success, so this does the same, but says so in the log.
   */
  private static int blockSize(String text) {
    return switch (text) {
      case "512" -> 512;
      case "1024" -> 1024;
      case "2048" -> 2048;
      case "4096" -> 4096;
      default -> {
        log.warn("tgtadm: block size {} not supported, using 512 as tgtd does", text);
        yield 512;
      }
    };
  }

  static SpecEdit delete(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    TargetSpec target = TargetEdits.existing(spec, TargetEdits.tid(request));
    int lun = lun(request);
    if (lun == 0) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    if (target.lunSpec(lun) == null) {
      throw new TgtadmFailure(NO_LUN);
    }
    List<LunSpec> luns = new ArrayList<>(target.luns());
    luns.removeIf(l -> l.lun() == lun);
    return new SpecEdit(spec.withTarget(target.withLuns(luns)), target.tid(), SpecEdit.NOTHING);
  }

  /**
   * {@code --params k=v,...}: readonly, thin_provisioning, online, removable (numbers, non-zero is
   * on), scsi_id, scsi_sn, lbppbe (0-15). Any other key is refused as tgt refuses unknown ones.
   */
  static SpecEdit update(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    TargetSpec target = TargetEdits.existing(spec, TargetEdits.tid(request));
    int lun = lun(request);
    LunSpec disk = target.lunSpec(lun);
    if (disk == null) {
      throw new TgtadmFailure(NO_LUN);
    }
    for (String pair : request.option("params").orElse("").split(",")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new TgtadmFailure(INVALID_REQUEST);
      }
      disk = updated(disk, pair.substring(0, eq), pair.substring(eq + 1));
    }
    List<LunSpec> luns = new ArrayList<>(target.luns());
    luns.removeIf(l -> l.lun() == lun);
    luns.add(disk);
    return new SpecEdit(spec.withTarget(target.withLuns(luns)), target.tid(), lun);
  }

  private static LunSpec updated(LunSpec disk, String key, String value) throws TgtadmFailure {
    return switch (key) {
      case "readonly" -> disk.withReadOnly(flag(value));
      case "thin_provisioning" -> disk.withThin(flag(value));
      case "online" -> disk.withOnline(flag(value));
      case "removable" -> disk.withRemovable(flag(value));
      case "scsi_id" -> disk.withScsiId(text(value, 24));
      case "scsi_sn" -> disk.withScsiSerial(text(value, 36));
      case "lbppbe" -> disk.withLbppbe(exponent(value));
      default -> throw new TgtadmFailure(INVALID_REQUEST);
    };
  }

  private static boolean flag(String value) throws TgtadmFailure {
    if (value.isEmpty() || !value.chars().allMatch(Character::isDigit) || value.length() > 9) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    return Integer.parseInt(value) != 0;
  }

  /** READ CAPACITY (16) carries the exponent in four bits. */
  private static int exponent(String value) throws TgtadmFailure {
    if (value.isEmpty() || !value.chars().allMatch(Character::isDigit) || value.length() > 2) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    int exponent = Integer.parseInt(value);
    if (exponent > LunSpec.MAX_LBPPBE) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    return exponent;
  }

  /** Identifiers end up in VPD pages with fixed-size fields. */
  private static String text(String value, int maxLength) throws TgtadmFailure {
    if (value.isEmpty() || value.length() > maxLength) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    return value;
  }
}
