package dev.lunar.crds.api.v1alpha1;

/** The API group and version of Lunar's custom resources. */
public final class IscsiApi {

  public static final String GROUP = "iscsi.lunar.dev";
  public static final String VERSION = "v1alpha1";

  /** The category of the user-facing kinds, so {@code kubectl get iscsi} lists targets and LUNs. */
  public static final String CATEGORY = "iscsi";

  /** The condition every resource carries: the export is served as the spec asks. */
  public static final String CONDITION_READY = "Ready";

  private IscsiApi() {}
}
