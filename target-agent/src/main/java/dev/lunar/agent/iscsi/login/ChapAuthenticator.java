package dev.lunar.agent.iscsi.login;

import dev.lunar.agent.model.AccountSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The target side of CHAP in the security stage (RFC 7143 12.1.3, RFC 1994).
 *
 * <pre>
 *   initiator                         target
 *   CHAP_A=&lt;A1,A2,...&gt;          -&gt;
 *                                 &lt;-  CHAP_A=&lt;A&gt; CHAP_I=&lt;I&gt; CHAP_C=&lt;C&gt;
 *   CHAP_N=&lt;user&gt; CHAP_R=&lt;R&gt;
 *   [CHAP_I=&lt;I2&gt; CHAP_C=&lt;C2&gt;]   -&gt;   (mutual CHAP)
 *                                 &lt;-  [CHAP_N=&lt;target user&gt; CHAP_R=&lt;R2&gt;]
 * </pre>
 *
 * R = H(I || secret || C). We take the first algorithm of the initiator's list that we support (RFC
 * 7143 6.2 list negotiation, not the strongest: the order is the initiator's preference), and
 * answer the initiator's own challenge only after its response checked out, so an unauthenticated
 * peer never gets a hash computed with our secret. Every failure is authentication failure
 * (0x0201); messages never carry a secret or a response.
 */
final class ChapAuthenticator {

  /** Largest CHAP_C or CHAP_R binary value (RFC 7143 12.1.3). */
  static final int MAX_BINARY_BYTES = 1024;

  private static final int MIN_CHALLENGE_BYTES = 16;

  private enum State {
    AWAIT_ALGORITHM,
    AWAIT_RESPONSE,
    DONE
  }

  private final Map<String, String> incomingSecrets;
  private final AccountSpec outgoing;
  private final SecureRandom random;
  private State state = State.AWAIT_ALGORITHM;
  private ChapAlgorithm algorithm;
  private int identifier;
  private byte[] challenge;
  private String user;

  /**
   * @param incomingSecrets user name to secret of every account an initiator may log in as
   * @param outgoing the target's account for mutual CHAP, or null
   */
  ChapAuthenticator(
      Map<String, String> incomingSecrets, AccountSpec outgoing, SecureRandom random) {
    this.incomingSecrets = Map.copyOf(incomingSecrets);
    this.outgoing = outgoing;
    this.random = random;
  }

  /** Whether the initiator proved it knows an incoming secret. */
  boolean authenticated() {
    return state == State.DONE;
  }

  /** The CHAP user the initiator authenticated as, once {@link #authenticated()}. */
  Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /**
   * Processes the CHAP keys of one request.
   *
   * @param keys the request's CHAP_* keys by name
   * @return the CHAP keys of our response
   */
  List<TextParameter> step(Map<String, String> keys) throws LoginException {
    return switch (state) {
      case AWAIT_ALGORITHM -> keys.isEmpty() ? List.of() : challenge(keys);
      case AWAIT_RESPONSE -> keys.isEmpty() ? List.of() : verify(keys);
      case DONE -> throw fail("CHAP keys after authentication completed");
    };
  }

  private List<TextParameter> challenge(Map<String, String> keys) throws LoginException {
    String offered = keys.get("CHAP_A");
    if (offered == null || keys.size() != 1) {
      throw fail("expected CHAP_A alone");
    }
    List<String> items;
    try {
      items = TextParameters.parseList(offered);
    } catch (IllegalArgumentException e) {
      throw fail("malformed CHAP_A");
    }
    algorithm =
        items.stream()
            .map(ChapAuthenticator::parseAlgorithm)
            .flatMap(Optional::stream)
            .findFirst()
            .orElseThrow(() -> fail("no supported CHAP algorithm in CHAP_A=" + offered));
    identifier = random.nextInt(256);
    challenge = new byte[Math.max(MIN_CHALLENGE_BYTES, algorithm.digestLength())];
    random.nextBytes(challenge);
    state = State.AWAIT_RESPONSE;
    return List.of(
        new TextParameter("CHAP_A", Integer.toString(algorithm.code())),
        new TextParameter("CHAP_I", Integer.toString(identifier)),
        new TextParameter("CHAP_C", TextParameters.formatHex(challenge)));
  }

  private List<TextParameter> verify(Map<String, String> keys) throws LoginException {
    String name = keys.get("CHAP_N");
    String response = keys.get("CHAP_R");
    if (name == null || response == null) {
      throw fail("CHAP_N and CHAP_R are required");
    }
    for (String key : keys.keySet()) {
      if (!List.of("CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C").contains(key)) {
        throw fail("unexpected " + key + " with the CHAP response");
      }
    }
    byte[] received = binary(response, "CHAP_R");
    String secret = incomingSecrets.get(name);
    // Hash even for an unknown user so timing does not reveal which user names exist.
    byte[] expected =
        algorithm.response(identifier, bytes(secret == null ? "" : secret), challenge);
    if (secret == null || !MessageDigest.isEqual(expected, received)) {
      throw fail("CHAP response does not match for user " + name);
    }
    user = name;
    state = State.DONE;
    return mutual(keys.get("CHAP_I"), keys.get("CHAP_C"));
  }

  private List<TextParameter> mutual(String theirId, String theirChallenge) throws LoginException {
    if (theirId == null && theirChallenge == null) {
      return List.of();
    }
    if (theirId == null || theirChallenge == null) {
      throw fail("mutual CHAP needs both CHAP_I and CHAP_C");
    }
    if (outgoing == null) {
      throw fail("mutual CHAP requested but the target has no outgoing account");
    }
    int id;
    try {
      long n = TextParameters.parseNumber(theirId);
      if (n > 255) {
        throw new IllegalArgumentException("identifier above 255");
      }
      id = (int) n;
    } catch (IllegalArgumentException e) {
      throw fail("malformed CHAP_I");
    }
    byte[] c = binary(theirChallenge, "CHAP_C");
    if (MessageDigest.isEqual(c, challenge)) {
      // A reflection attack: the initiator wants us to compute the answer to our own challenge.
      throw fail("initiator reflected the target's challenge");
    }
    byte[] r = algorithm.response(id, bytes(outgoing.password()), c);
    List<TextParameter> out = new ArrayList<>(2);
    out.add(new TextParameter("CHAP_N", outgoing.user()));
    out.add(new TextParameter("CHAP_R", TextParameters.formatHex(r)));
    return out;
  }

  private static Optional<ChapAlgorithm> parseAlgorithm(String item) {
    try {
      return ChapAlgorithm.fromCode(TextParameters.parseNumber(item));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // unknown or non-numeric values are simply not supported
    }
  }

  private static byte[] binary(String value, String key) throws LoginException {
    try {
      return TextParameters.parseBinary(value, MAX_BINARY_BYTES);
    } catch (IllegalArgumentException e) {
      throw fail("malformed " + key);
    }
  }

  private static byte[] bytes(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static LoginException fail(String message) {
    return LoginStatus.AUTHENTICATION_FAILURE.exception(message);
  }
}
