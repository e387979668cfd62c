package dev.lunar.agent.iscsi.login;

import java.util.List;

/**
 * The Login Response to one complete Login Request.
 *
 * @param response the keys of the response data segment, in order
 * @param transit the T bit of the response
 * @param csg the current stage of the response (the request's CSG)
 * @param nsg the next stage; meaningful only when {@code transit}
 * @param complete whether this response moves the connection to the full feature phase
 */
public record LoginStep(
    List<TextParameter> response, boolean transit, int csg, int nsg, boolean complete) {

  public LoginStep {
    response = List.copyOf(response);
  }
}
