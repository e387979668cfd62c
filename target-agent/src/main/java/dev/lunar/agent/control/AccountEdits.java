package dev.lunar.agent.control;

import static dev.lunar.agent.tgtadm.TgtadmError.INVALID_REQUEST;
import static dev.lunar.agent.tgtadm.TgtadmError.NO_USER;
import static dev.lunar.agent.tgtadm.TgtadmError.OUTACCOUNT_EXIST;
import static dev.lunar.agent.tgtadm.TgtadmError.UNSUPPORTED_OPERATION;
import static dev.lunar.agent.tgtadm.TgtadmError.USER_EXIST;

import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@code --mode account}: new, delete, bind, unbind, refusing with tgt's errors. */
final class AccountEdits {

  private AccountEdits() {}

  private static String user(TgtadmRequest request) throws TgtadmFailure {
    String user = request.option("user").orElse("");
    if (user.isEmpty()) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    return user;
  }

  static SpecEdit create(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    String user = user(request);
    String password = request.option("password").orElse("");
    if (password.isEmpty()) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    if (spec.account(user) != null) {
      throw new TgtadmFailure(USER_EXIST);
    }
    List<AccountSpec> accounts = new ArrayList<>(spec.accounts());
    accounts.add(new AccountSpec(user, password));
    return new SpecEdit(spec.withAccounts(accounts), 0, SpecEdit.NOTHING);
  }

  /** Deleting an account also unbinds it from every target, as tgt does. */
  static SpecEdit delete(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    String user = user(request);
    if (spec.account(user) == null) {
      throw new TgtadmFailure(NO_USER);
    }
    List<AccountSpec> accounts = new ArrayList<>(spec.accounts());
    accounts.removeIf(a -> a.user().equals(user));
    List<TargetSpec> targets = new ArrayList<>();
    for (TargetSpec target : spec.targets()) {
      List<String> incoming = new ArrayList<>(target.incomingUsers());
      incoming.remove(user);
      String outgoing = user.equals(target.outgoingUser()) ? null : target.outgoingUser();
      targets.add(target.withIncomingUsers(incoming).withOutgoingUser(outgoing));
    }
    return new SpecEdit(new TargetSetSpec(targets, accounts), 0, SpecEdit.NOTHING);
  }

  static SpecEdit bind(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    TargetSpec target = target(spec, request);
    String user = user(request);
    if (spec.account(user) == null) {
      throw new TgtadmFailure(NO_USER);
    }
    if (request.has("outgoing")) {
      if (target.outgoingUser() != null) {
        throw new TgtadmFailure(OUTACCOUNT_EXIST);
      }
      target = target.withOutgoingUser(user);
    } else {
      if (target.incomingUsers().contains(user)) {
        throw new TgtadmFailure(USER_EXIST);
      }
      List<String> incoming = new ArrayList<>(target.incomingUsers());
      incoming.add(user);
      target = target.withIncomingUsers(incoming);
    }
    return new SpecEdit(spec.withTarget(target), target.tid(), SpecEdit.TARGET);
  }

  /** An outgoing account is only unbound with {@code --outgoing}, as in tgt. */
  static SpecEdit unbind(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    TargetSpec target = target(spec, request);
    String user = user(request);
    if (request.has("outgoing")) {
      if (!Objects.equals(target.outgoingUser(), user)) {
        throw new TgtadmFailure(NO_USER);
      }
      target = target.withOutgoingUser(null);
    } else {
      List<String> incoming = new ArrayList<>(target.incomingUsers());
      if (!incoming.remove(user)) {
        throw new TgtadmFailure(NO_USER);
      }
      target = target.withIncomingUsers(incoming);
    }
    return new SpecEdit(spec.withTarget(target), target.tid(), SpecEdit.TARGET);
  }

  /**
   * tgt binds an account given without {@code --tid} to discovery sessions; the desired-state model
   * has no place for that yet, so it is refused rather than silently dropped.
   */
  private static TargetSpec target(TargetSetSpec spec, TgtadmRequest request) throws TgtadmFailure {
    if (!request.has("tid")) {
      throw new TgtadmFailure(UNSUPPORTED_OPERATION);
    }
    return TargetEdits.existing(spec, TargetEdits.tid(request));
  }
}
