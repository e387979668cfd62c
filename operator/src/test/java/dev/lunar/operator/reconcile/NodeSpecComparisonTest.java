package dev.lunar.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.SecretRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node reconciler's "nothing to write" test: empty lists and absent ones are the same. */
class NodeSpecComparisonTest {

  private static final SecretRef SECRET = new SecretRef("lunar-system", "lunar-node-a");

  @Test
  void anEmptyListAndNoListAreTheSameSpec() {
    assertThat(
            NodeReconciler.sameSpec(
                new IscsiNodeSpec(SECRET, List.of(), List.of()),
                new IscsiNodeSpec(SECRET, null, null)))
        .isTrue();
  }

  @Test
  void aPoolMoreIsADifferentSpec() {
    assertThat(
            NodeReconciler.sameSpec(
                new IscsiNodeSpec(SECRET, List.of(), List.of(NodePool.directory("p", "/p", null))),
                new IscsiNodeSpec(SECRET, null, null)))
        .isFalse();
  }
}
