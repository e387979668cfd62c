package dev.lunar.crds.api.v1alpha1;

/** The API group and version of Lunar's custom resources. */
public final class IscsiApi {

  public static final String GROUP = "iscsi.lunar.dev";
  public static final String VERSION = "v1alpha1";

  /** The category of the user-facing kinds, so {@code kubectl get iscsi} lists targets and LUNs. */
  public static final String CATEGORY = "iscsi";

  /** The condition every resource carries: the export is served as the spec asks. */
  public static final String CONDITION_READY = "Ready";

  /** The naming authority of default target names: the project's domain, reversed. */
  public static final String DEFAULT_IQN_PREFIX = "iqn.2025-01.dev.lunar:";

  private IscsiApi() {}

  /**
   * The IQN a target gets when its spec names none. Namespace and object names are DNS labels and
   * subdomains, so the result is a valid iSCSI name; it is unique in the cluster and stable.
   */
  public static String defaultIqn(String namespace, String name) {
    return DEFAULT_IQN_PREFIX + namespace + "." + name;
  }
}
