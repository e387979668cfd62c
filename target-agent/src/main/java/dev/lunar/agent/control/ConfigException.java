package dev.lunar.agent.control;

/** A configuration or state file that cannot be used; the message names the file and the line. */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
