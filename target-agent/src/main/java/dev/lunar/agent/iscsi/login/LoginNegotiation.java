package dev.lunar.agent.iscsi.login;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The negotiation of one login, without PDUs or sockets (RFC 7143 6.3, 10.12): decides, request by
 * request, which stage comes next (security with AuthMethod and CHAP, operational, then the full
 * feature phase), what each key is answered and which {@link NegotiatedParameters} result. One
 * instance per connection; the session layer's {@code LoginPhase} joins C-bit continuations into
 * one request, hands each complete request to {@link #step} and sends what it returns.
 *
 * <p>Flow accepted, as libiscsi sends it: the first request declares InitiatorName, optionally
 * InitiatorAlias, TargetName (Normal sessions) and SessionType; the operational request after CHAP
 * repeats them, which is accepted when the values are unchanged. The target stays in the security
 * stage (T=0) until CHAP has verified; a request for the full feature phase straight from security
 * is answered with NSG=1 so that the operational declarations can be made.
 */
public final class LoginNegotiation {

  public static final int SECURITY_STAGE = 0;
  public static final int OPERATIONAL_STAGE = 1;
  public static final int FULL_FEATURE_PHASE = 3;

  private static final int MAX_REQUESTS = 64;

  private final TargetDirectory directory;
  private final InetAddress initiatorAddress;
  private final SecureRandom random;
  private final boolean leadingConnection;
  private final TargetOffer baseOffer;
  private final Map<String, String> loginKeys = new HashMap<>();

  private int requests;
  private int stage = -1;
  private boolean discovery;
  private LoginTarget target;
  private SecurityStage security;
  private OperationalNegotiator operational;
  private boolean offeredLastResponse;
  private NegotiatedParameters parameters;

  public LoginNegotiation(
      TargetDirectory directory,
      InetAddress initiatorAddress,
      SecureRandom random,
      boolean leadingConnection) {
    this(directory, initiatorAddress, random, leadingConnection, TargetOffer.DEFAULTS);
  }

  /** As above, with a daemon-wide offer that each target's params then override. */
  public LoginNegotiation(
      TargetDirectory directory,
      InetAddress initiatorAddress,
      SecureRandom random,
      boolean leadingConnection,
      TargetOffer baseOffer) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.initiatorAddress = Objects.requireNonNull(initiatorAddress, "initiatorAddress");
    this.random = Objects.requireNonNull(random, "random");
    this.leadingConnection = leadingConnection;
    this.baseOffer = Objects.requireNonNull(baseOffer, "baseOffer");
  }

  /**
   * Processes one complete Login Request.
   *
   * @param csg the request's current stage (0 security, 1 operational)
   * @param nsg the request's next stage (1 or 3), meaningful when {@code transit}
   * @param transit the request's T bit
   * @param keys the request's text, continuations joined
   * @throws LoginException the status to end the login with
   */
  public LoginStep step(int csg, int nsg, boolean transit, List<TextParameter> keys)
      throws LoginException {
    if (parameters != null) {
      throw LoginStatus.INITIATOR_ERROR.exception("login request after login completed");
    }
    if (++requests > MAX_REQUESTS) {
      throw LoginStatus.INITIATOR_ERROR.exception("too many login requests");
    }
    checkStages(csg, nsg, transit);
    checkDistinct(keys);
    List<TextParameter> out = new ArrayList<>();
    boolean first = stage < 0;
    declareLoginKeys(keys, first);
    if (first && !discovery) {
      out.add(new TextParameter("TargetPortalGroupTag", Integer.toString(target.portalGroupTag())));
      if (target.alias() != null && !target.alias().isEmpty()) {
        out.add(new TextParameter("TargetAlias", target.alias()));
      }
    }
    return csg == SECURITY_STAGE
        ? security(nsg, transit, keys, out)
        : operational(transit, keys, out);
  }

  /** The parameters in force; available once {@link LoginStep#complete()} was returned. */
  public NegotiatedParameters parameters() {
    if (parameters == null) {
      throw new IllegalStateException("login not complete");
    }
    return parameters;
  }

  public String initiatorName() {
    return loginKeys.get("InitiatorName");
  }

  public String initiatorAlias() {
    return loginKeys.get("InitiatorAlias");
  }

  public boolean discovery() {
    return discovery;
  }

  /** The target of a Normal session, once the first request named it. */
  public Optional<LoginTarget> target() {
    return Optional.ofNullable(target);
  }

  /** The CHAP user the initiator authenticated as, if it used CHAP. */
  public Optional<String> chapUser() {
    return security == null ? Optional.empty() : security.chapUser();
  }

  private void checkStages(int csg, int nsg, boolean transit) throws LoginException {
    if (csg != SECURITY_STAGE && csg != OPERATIONAL_STAGE) {
      throw LoginStatus.INITIATOR_ERROR.exception("invalid current stage " + csg);
    }
    if (csg < stage) {
      throw LoginStatus.INITIATOR_ERROR.exception("login went back to stage " + csg);
    }
    if (transit && ((nsg != OPERATIONAL_STAGE && nsg != FULL_FEATURE_PHASE) || nsg <= csg)) {
      throw LoginStatus.INITIATOR_ERROR.exception("invalid next stage " + nsg + " from " + csg);
    }
  }

  private static void checkDistinct(List<TextParameter> keys) throws LoginException {
    Set<String> seen = new HashSet<>();
    for (TextParameter p : keys) {
      if (!seen.add(p.key())) {
        throw LoginStatus.INITIATOR_ERROR.exception("key " + p.key() + " given twice");
      }
    }
  }

  /** InitiatorName, InitiatorAlias, SessionType, TargetName: the first request sets them. */
  private void declareLoginKeys(List<TextParameter> keys, boolean first) throws LoginException {
    for (TextParameter p : keys) {
      if (!TextKeys.LOGIN_DECLARATIONS.contains(p.key())) {
        continue;
      }
      String earlier = loginKeys.putIfAbsent(p.key(), p.value());
      if (earlier != null && !earlier.equals(p.value())) {
        throw LoginStatus.INITIATOR_ERROR.exception("redeclaration of " + p.key());
      }
      if (earlier == null && !first && !lateDeclarationAllowed(p)) {
        throw LoginStatus.INITIATOR_ERROR.exception(p.key() + " after the first login request");
      }
    }
    if (!first) {
      return;
    }
    String initiatorName = loginKeys.get("InitiatorName");
    if (initiatorName == null || initiatorName.isEmpty()) {
      throw LoginStatus.MISSING_PARAMETER.exception("InitiatorName missing");
    }
    String sessionType = loginKeys.getOrDefault("SessionType", "Normal");
    switch (sessionType) {
      case "Discovery" -> discovery = true;
      case "Normal" -> discovery = false;
      default ->
          throw LoginStatus.SESSION_TYPE_NOT_SUPPORTED.exception("SessionType " + sessionType);
    }
    TargetOffer offer = baseOffer;
    if (!discovery) {
      String targetName = loginKeys.get("TargetName");
      if (targetName == null || targetName.isEmpty()) {
        throw LoginStatus.MISSING_PARAMETER.exception("TargetName missing");
      }
      target =
          directory
              .find(targetName)
              .orElseThrow(() -> LoginStatus.NOT_FOUND.exception("no target " + targetName));
      if (!AccessControl.permits(target, initiatorName, initiatorAddress)) {
        throw LoginStatus.AUTHORIZATION_FAILURE.exception(
            initiatorName + " at " + initiatorAddress.getHostAddress() + " not allowed");
      }
      try {
        offer = baseOffer.withOverrides(target.params());
      } catch (IllegalArgumentException e) {
        throw LoginStatus.TARGET_ERROR.exception(
            "target " + target.iqn() + " misconfigured: " + e.getMessage());
      }
    }
    operational = new OperationalNegotiator(offer, discovery, leadingConnection);
    security = new SecurityStage(target, random);
  }

  /**
   * A login key first seen after the first request: an alias, a SessionType that only restates the
   * default, or a TargetName in a discovery session (where it has no effect).
   */
  private boolean lateDeclarationAllowed(TextParameter p) {
    return switch (p.key()) {
      case "InitiatorAlias" -> true;
      case "SessionType" -> p.value().equals(discovery ? "Discovery" : "Normal");
      case "TargetName" -> discovery;
      default -> false;
    };
  }

  private LoginStep security(
      int nsg, boolean transit, List<TextParameter> keys, List<TextParameter> out)
      throws LoginException {
    stage = SECURITY_STAGE;
    out.addAll(security.answer(withoutLoginKeys(keys)));
    if (!transit) {
      return new LoginStep(out, false, SECURITY_STAGE, nsg, false);
    }
    if (security.chapSkipped()) {
      throw LoginStatus.AUTHENTICATION_FAILURE.exception("target requires CHAP");
    }
    if (!security.authenticated()) {
      return new LoginStep(out, false, SECURITY_STAGE, nsg, false); // CHAP still in progress
    }
    // Our operational declarations still have to be made, so full feature waits for stage 1.
    return new LoginStep(out, true, SECURITY_STAGE, OPERATIONAL_STAGE, false);
  }

  private static List<TextParameter> withoutLoginKeys(List<TextParameter> keys) {
    return keys.stream().filter(p -> !TextKeys.LOGIN_DECLARATIONS.contains(p.key())).toList();
  }

  private LoginStep operational(boolean transit, List<TextParameter> keys, List<TextParameter> out)
      throws LoginException {
    if (stage < OPERATIONAL_STAGE && !security.authenticated()) {
      throw LoginStatus.AUTHENTICATION_FAILURE.exception(
          "operational stage before authentication completed");
    }
    stage = OPERATIONAL_STAGE;
    List<TextParameter> operationalKeys = new ArrayList<>();
    List<TextParameter> others = new ArrayList<>();
    for (TextParameter p : withoutLoginKeys(keys)) {
      String key = p.key();
      if (OperationalKey.byName(key).isPresent()) {
        operationalKeys.add(p);
      } else {
        others.add(TextKeys.outOfPlace(key));
      }
    }
    out.addAll(operational.negotiate(operationalKeys));
    out.addAll(others);
    if (offeredLastResponse && operational.hasPendingOffers()) {
      throw LoginStatus.INITIATOR_ERROR.exception("the target's offers were not answered");
    }
    out.addAll(operational.declarations());
    offeredLastResponse = false;
    if (!transit) {
      return new LoginStep(out, false, OPERATIONAL_STAGE, FULL_FEATURE_PHASE, false);
    }
    List<TextParameter> offers = operational.targetOffers();
    if (!offers.isEmpty()) {
      out.addAll(offers);
      offeredLastResponse = true;
      return new LoginStep(out, false, OPERATIONAL_STAGE, FULL_FEATURE_PHASE, false);
    }
    parameters = operational.result();
    return new LoginStep(out, true, OPERATIONAL_STAGE, FULL_FEATURE_PHASE, true);
  }
}
