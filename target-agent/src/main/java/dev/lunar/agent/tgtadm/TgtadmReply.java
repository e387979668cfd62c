package dev.lunar.agent.tgtadm;

/**
 * The daemon's answer to one {@link TgtadmRequest}.
 *
 * @param error {@link TgtadmError#SUCCESS} or what went wrong
 * @param output what tgtadm prints on stdout (show output); empty otherwise
 */
public record TgtadmReply(TgtadmError error, String output) {

  public static TgtadmReply ok() {
    return new TgtadmReply(TgtadmError.SUCCESS, "");
  }

  public static TgtadmReply ok(String output) {
    return new TgtadmReply(TgtadmError.SUCCESS, output);
  }

  public static TgtadmReply failed(TgtadmError error) {
    return new TgtadmReply(error, "");
  }

  public boolean succeeded() {
    return error == TgtadmError.SUCCESS;
  }
}
