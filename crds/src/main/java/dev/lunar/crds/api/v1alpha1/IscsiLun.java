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

/** One disk of an {@link IscsiTarget} in the same namespace: a host block device or a file. */
@Group(IscsiApi.GROUP)
@Version(IscsiApi.VERSION)
@ShortNames("ilun")
@Categories(IscsiApi.CATEGORY)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.target", type = Type.STRING)
@AdditionalPrinterColumn(name = "LUN", jsonPath = ".spec.lun", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".status.size", type = Type.STRING)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.node", type = Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = Syntax.READY_COLUMN, type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = Syntax.AGE_COLUMN, type = Type.DATE)
public class IscsiLun extends CustomResource<IscsiLunSpec, IscsiLunStatus> implements Namespaced {

  // Overridden only to describe spec and status in the CRD schema; the fields are CustomResource's.
  @Override
  @JsonPropertyDescription(
      "What the user asks for: the target and LUN number, the backing device or file,"
          + " and how initiators see it.")
  public IscsiLunSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed, written only by the operator: Ready and Scheduled"
          + " conditions, the node, size and identifiers in use, and the PersistentVolume made"
          + " for it.")
  public IscsiLunStatus getStatus() {
    return super.getStatus();
  }
}
