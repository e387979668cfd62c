package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One agent node, named after the Kubernetes node. The spec is written only by the operator (the
 * node's complete desired target set), the status only by that node's agent: one writer per field,
 * level-triggered, no network path from operator to agents. The agent's liveness is its heartbeat
 * Lease ({@code lunar-agent-<node>} in the system namespace), not a status field: a timestamp here
 * would cost a status write every renewal on every node.
 */
@Group(IscsiApi.GROUP)
@Version(IscsiApi.VERSION)
@ShortNames("inode")
@AdditionalPrinterColumn(name = "Agent", jsonPath = ".status.agentVersion", type = Type.STRING)
@AdditionalPrinterColumn(name = "Targets", jsonPath = ".status.targetCount", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = Syntax.AGE_COLUMN, type = Type.DATE)
public class IscsiNode extends CustomResource<IscsiNodeSpec, IscsiNodeStatus> {

  // Overridden only to describe spec and status in the CRD schema; the fields are CustomResource's.
  @Override
  @JsonPropertyDescription(
      "The node's complete desired target set, written only by the operator; users do"
          + " not edit it.")
  public IscsiNodeSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the node's agent serves and finds, written only by that agent: conditions,"
          + " applied generation, portals, disk inventory, targets and sessions.")
  public IscsiNodeStatus getStatus() {
    return super.getStatus();
  }
}
