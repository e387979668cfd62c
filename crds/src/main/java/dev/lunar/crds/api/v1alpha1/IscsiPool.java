package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The space one storage node offers for volumes carved on demand: an {@link IscsiLun} whose backing
 * names the pool gets a file, a logical volume or a whole disk of its own there, and the CSI driver
 * provisions PersistentVolumeClaims from pools. Cluster-scoped like the node it lives on. Its
 * status is measured by that node's agent (through {@link IscsiNode}, the agent's only write) and
 * copied here by the operator.
 */
@Group(IscsiApi.GROUP)
@Version(IscsiApi.VERSION)
@ShortNames("ipool")
@Categories(IscsiApi.CATEGORY)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.node", type = Type.STRING)
@AdditionalPrinterColumn(name = "Capacity", jsonPath = ".status.capacity", type = Type.STRING)
@AdditionalPrinterColumn(name = "Free", jsonPath = ".status.free", type = Type.STRING)
@AdditionalPrinterColumn(name = "Volumes", jsonPath = ".status.volumeCount", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = Syntax.READY_COLUMN, type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = Syntax.AGE_COLUMN, type = Type.DATE)
public class IscsiPool extends CustomResource<IscsiPoolSpec, IscsiPoolStatus> {

  // Overridden only to describe spec and status in the CRD schema; the fields are CustomResource's.
  @Override
  @JsonPropertyDescription(
      "Where the pool's space is: a node, and a directory, an LVM volume group or whole disks on it.")
  public IscsiPoolSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "The pool's space as its node's agent measured it: capacity, allocated and free.")
  public IscsiPoolStatus getStatus() {
    return super.getStatus();
  }
}
