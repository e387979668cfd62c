package dev.lunar.agent.iscsi.login;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The security stage of one login (RFC 7143 6.3, 12): AuthMethod, then CHAP when the target has
 * incoming accounts. We offer exactly one method: CHAP for a target with accounts, None otherwise
 * (and for discovery), as tgt does.
 */
final class SecurityStage {

  private enum Method {
    UNDECIDED,
    NONE,
    CHAP
  }

  private final LoginTarget target;
  private final SecureRandom random;
  private Method method = Method.UNDECIDED;
  private String methodOffer;
  private ChapAuthenticator chap;

  /**
   * @param target the target of a Normal session, or null for discovery
   */
  SecurityStage(LoginTarget target, SecureRandom random) {
    this.target = target;
    this.random = random;
  }

  boolean requiresChap() {
    return target != null && target.requiresChap();
  }

  /** Whether the initiator may leave the security stage. */
  boolean authenticated() {
    return switch (method) {
      case NONE -> true;
      case CHAP -> chap.authenticated();
      case UNDECIDED -> !requiresChap();
    };
  }

  /** Whether the initiator tried to leave without the AuthMethod that CHAP needs. */
  boolean chapSkipped() {
    return method == Method.UNDECIDED && requiresChap();
  }

  Optional<String> chapUser() {
    return chap == null ? Optional.empty() : chap.user();
  }

  /**
   * Answers one request's keys, login keys (InitiatorName etc.) already removed.
   *
   * @throws LoginException authentication failure (0x0201) when no method fits or CHAP fails
   */
  List<TextParameter> answer(List<TextParameter> keys) throws LoginException {
    List<TextParameter> out = new ArrayList<>();
    Map<String, String> chapKeys = new LinkedHashMap<>();
    for (TextParameter p : keys) {
      String key = p.key();
      if (key.equals("AuthMethod")) {
        out.add(new TextParameter(key, chooseMethod(p.value())));
      } else if (key.startsWith("CHAP_")) {
        chapKeys.put(key, p.value());
      } else {
        // Not of this stage (RFC 7143 6.3); operational keys may be offered again in the next.
        out.add(TextKeys.outOfPlace(key));
      }
    }
    if (!chapKeys.isEmpty()) {
      if (method != Method.CHAP) {
        throw LoginStatus.AUTHENTICATION_FAILURE.exception("CHAP keys without AuthMethod=CHAP");
      }
      out.addAll(chap.step(chapKeys));
    }
    return out;
  }

  private String chooseMethod(String offer) throws LoginException {
    if (method != Method.UNDECIDED) {
      if (offer.equals(methodOffer)) {
        return method == Method.CHAP ? "CHAP" : "None";
      }
      throw LoginStatus.INITIATOR_ERROR.exception("renegotiation of AuthMethod");
    }
    List<String> methods;
    try {
      methods = TextParameters.parseList(offer);
    } catch (IllegalArgumentException e) {
      throw LoginStatus.AUTHENTICATION_FAILURE.exception("malformed AuthMethod");
    }
    String acceptable = requiresChap() ? "CHAP" : "None";
    if (!methods.contains(acceptable)) {
      throw LoginStatus.AUTHENTICATION_FAILURE.exception(
          "AuthMethod=" + offer + " but the target requires " + acceptable);
    }
    methodOffer = offer;
    if (requiresChap()) {
      method = Method.CHAP;
      chap = new ChapAuthenticator(target.incomingSecrets(), target.outgoing(), random);
    } else {
      method = Method.NONE;
    }
    return acceptable;
  }
}
