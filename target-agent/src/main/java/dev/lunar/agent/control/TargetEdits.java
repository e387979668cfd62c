package dev.lunar.agent.control;

import static dev.lunar.agent.tgtadm.TgtadmError.ACL_EXIST;
import static dev.lunar.agent.tgtadm.TgtadmError.ACL_NOEXIST;
import static dev.lunar.agent.tgtadm.TgtadmError.INVALID_REQUEST;
import static dev.lunar.agent.tgtadm.TgtadmError.NO_TARGET;
import static dev.lunar.agent.tgtadm.TgtadmError.TARGET_EXIST;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import dev.lunar.crds.api.v1alpha1.IscsiName;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --mode target}: new, delete, bind, unbind, update, as pure functions from the current spec
 * to a candidate, refusing with tgt's errors; unlike tgt, also a target or initiator name that is
 * not an iSCSI name.
 */
final class TargetEdits {

  private TargetEdits() {}

  static int tid(TgtadmRequest request) throws TgtadmFailure {
    long tid = request.number("tid").orElse(-1);
    if (tid <= 0 || tid > Integer.MAX_VALUE) {
      throw new TgtadmFailure(NO_TARGET);
    }
    return (int) tid;
  }

  static TargetSpec existing(TargetSetSpec spec, int tid) throws TgtadmFailure {
    TargetSpec target = spec.target(tid);
    if (target == null) {
      throw new TgtadmFailure(NO_TARGET);
    }
    return target;
  }

  static SpecEdit create(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    int tid = tid(request);
    String iqn = request.option("targetname").orElseThrow(() -> new TgtadmFailure(INVALID_REQUEST));
    if (spec.target(tid) != null || spec.targets().stream().anyMatch(t -> t.iqn().equals(iqn))) {
      throw new TgtadmFailure(TARGET_EXIST);
    }
    // Unlike tgt, which takes any name: an initiator could not log in to one outside RFC 7143.
    requireIscsiName(iqn);
    return new SpecEdit(spec.withTarget(TargetSpec.create(tid, iqn)), tid, SpecEdit.TARGET);
  }

  static SpecEdit delete(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    int tid = tid(request);
    existing(spec, tid);
    return new SpecEdit(spec.withoutTarget(tid), tid, SpecEdit.NOTHING);
  }

  static SpecEdit update(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    TargetSpec target = existing(spec, tid(request));
    String name = request.option("name").orElse("");
    String value = request.option("value").orElse("");
    if (!TargetParams.valid(name, value)) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    // tgtd keeps only the first choice of a digest list ("CRC32C,None" shows as CRC32C).
    String kept = name.endsWith("Digest") ? value.split(",")[0] : value;
    TargetSpec next = target.withParams(TargetParams.with(target.params(), name, kept));
    return new SpecEdit(spec.withTarget(next), target.tid(), SpecEdit.TARGET);
  }

  /** bind and unbind by initiator address and/or name; tgt prints addresses before names. */
  static SpecEdit acl(TargetSetSpec spec, TgtadmRequest request, boolean bind)
      throws TgtadmFailure {
    TargetSpec target = existing(spec, tid(request));
    String address = request.option("initiator-address").orElse(null);
    String name = request.option("initiator-name").orElse(null);
    if (address == null && name == null) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    if (address != null) {
      target = target.withInitiatorAddresses(change(target.initiatorAddresses(), address, bind));
    }
    if (name != null) {
      if (bind) {
        requireIscsiName(name); // unbind still removes a name bound before this check existed
      }
      target = target.withInitiatorNames(change(target.initiatorNames(), name, bind));
    }
    return new SpecEdit(spec.withTarget(target), target.tid(), SpecEdit.TARGET);
  }

  /** The rule the CRDs validate with (RFC 7143 4.2.7), refused with tgt's invalid request. */
  private static void requireIscsiName(String name) throws TgtadmFailure {
    if (!IscsiName.valid(name)) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
  }

  private static List<String> change(List<String> rules, String rule, boolean add)
      throws TgtadmFailure {
    List<String> next = new ArrayList<>(rules);
    if (add) {
      if (next.contains(rule)) {
        throw new TgtadmFailure(ACL_EXIST);
      }
      next.add(rule);
    } else if (!next.remove(rule)) {
      throw new TgtadmFailure(ACL_NOEXIST);
    }
    return next;
  }
}
