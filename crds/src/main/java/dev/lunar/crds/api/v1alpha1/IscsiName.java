package dev.lunar.crds.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The one rule for iSCSI names (RFC 7143 section 4.2.7): the CRD schemas validate with {@link
 * #PATTERN} and {@link #MAX_BYTES}, the agent's tgtadm front with {@link #valid}. The expression
 * avoids backslashes ({@code [.]} instead of an escaped dot) so the same text is valid as an
 * OpenAPI pattern, inside a CEL string literal and in Java.
 *
 * <p>Accepted: {@code iqn.YYYY-MM.reversed.domain[:identifier]} in the lower case that name
 * normalisation produces, {@code eui.} and 16 hex digits, {@code naa.} and 16 or 32 hex digits
 * (upper case, as the RFC's examples write them). Stricter than the RFC in one respect: only ASCII,
 * so the non-ASCII characters its stringprep profile would allow in an identifier are refused.
 */
public final class IscsiName {

  /** A reversed-domain label: lower case letters, digits and inner hyphens. */
  private static final String LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";

  public static final String PATTERN =
      "^(iqn[.][0-9]{4}-(0[1-9]|1[0-2])[.]"
          + LABEL
          + "([.]"
          + LABEL
          + ")*(:[a-z0-9.:-]+)?"
          + "|eui[.][0-9A-F]{16}"
          + "|naa[.][0-9A-F]{16}([0-9A-F]{16})?)$";

  /** What a refusal says after the field's name. */
  public static final String MESSAGE =
      "must be an iSCSI name: iqn.YYYY-MM.reversed.domain[:identifier] (lower case),"
          + " eui.<16 hex digits> or naa.<16 or 32 hex digits> (upper case)";

  /** iSCSI names are at most 223 bytes (RFC 7143 section 6.1). */
  public static final int MAX_BYTES = 223;

  private static final Pattern COMPILED = Pattern.compile(PATTERN);

  private IscsiName() {}

  /** Whether {@code name} is an iSCSI name by {@link #PATTERN} and {@link #MAX_BYTES}. */
  public static boolean valid(String name) {
    return name != null
        && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES
        && COMPILED.matcher(name).matches();
  }
}
