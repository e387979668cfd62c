package dev.lunar.operator.view;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * What the {@link ClusterView} reports: one call per change, with the object before ({@code null}
 * when added) and after ({@code null} when deleted).
 */
public interface Triggers {

  Triggers NONE =
      new Triggers() {
        @Override
        public void targetChanged(IscsiTarget before, IscsiTarget after) {}

        @Override
        public void lunChanged(IscsiLun before, IscsiLun after) {}

        @Override
        public void nodeChanged(IscsiNode before, IscsiNode after) {}

        @Override
        public void secretChanged(Secret before, Secret after) {}

        @Override
        public void leaseChanged(Lease before, Lease after) {}

        @Override
        public void poolChanged(IscsiPool before, IscsiPool after) {}
      };

  void targetChanged(IscsiTarget before, IscsiTarget after);

  void lunChanged(IscsiLun before, IscsiLun after);

  void nodeChanged(IscsiNode before, IscsiNode after);

  void secretChanged(Secret before, Secret after);

  void leaseChanged(Lease before, Lease after);

  void poolChanged(IscsiPool before, IscsiPool after);
}
