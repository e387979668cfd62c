package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An iSCSI target served by one node's agent; its disks are the {@link IscsiLun}s that name it. */
@Group(IscsiApi.GROUP)
@Version(IscsiApi.VERSION)
@ShortNames("itgt")
@Categories(IscsiApi.CATEGORY)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.node", type = Type.STRING)
@AdditionalPrinterColumn(name = "IQN", jsonPath = ".status.iqn", type = Type.STRING)
@AdditionalPrinterColumn(name = "Portal", jsonPath = ".status.portals[0]", type = Type.STRING)
@AdditionalPrinterColumn(name = "LUNs", jsonPath = ".status.lunCount", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Sessions", jsonPath = ".status.sessionCount", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = Syntax.READY_COLUMN, type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = Syntax.AGE_COLUMN, type = Type.DATE)
public class IscsiTarget extends CustomResource<IscsiTargetSpec, IscsiTargetStatus>
    implements Namespaced {

  // Overridden only to describe spec and status in the CRD schema; the fields are CustomResource's.
  @Override
  @JsonPropertyDescription(
      "What the user asks for: the node that serves the target, its name and port, who"
          + " may log in, CHAP and iSCSI negotiation.")
  public IscsiTargetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed, written only by the operator: Ready and Scheduled"
          + " conditions, the IQN and portals in use, LUNs and live sessions.")
  public IscsiTargetStatus getStatus() {
    return super.getStatus();
  }
}
