package dev.lunar.crds.api.v1alpha1;

/** The API group and version of Lunar's custom resources. */
public final class IscsiApi {

  public static final String GROUP = "iscsi.lunar.dev";
  public static final String VERSION = "v1alpha1";

  private IscsiApi() {}
}
