package dev.lunar.agent.daemon;

/** The agent's version, from the jar manifest when packaged. */
public final class Version {

  private Version() {}

  public static String current() {
    String fromManifest = Version.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : "dev";
  }
}
