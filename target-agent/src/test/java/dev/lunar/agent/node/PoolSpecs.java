package dev.lunar.agent.node;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** IscsiNode specs with pools, as the operator writes them, for the pool tests. */
final class PoolSpecs {

  private PoolSpecs() {}

  /** A pool volume's LUN: {@code thin} null is thin, as the operator leaves it by default. */
  static NodeLun volume(int lun, Path file, long size, Boolean thin, String pool) {
    return new NodeLun(
        lun,
        "ns/v" + lun,
        null,
        file.toString(),
        size,
        thin,
        false,
        512,
        null,
        null,
        null,
        pool,
        null);
  }

  /** One target holding {@code luns}, numbered as given, on a node with {@code pools}. */
  static IscsiNodeSpec spec(List<NodePool> pools, NodeLun... luns) {
    NodeTarget target =
        new NodeTarget(
            1,
            "iqn.2026-11.dev.lunar:pools",
            "ns/t",
            3260,
            new ArrayList<>(Arrays.asList(luns)),
            List.of(),
            List.of("ALL"),
            null,
            null,
            Map.of());
    return new IscsiNodeSpec(null, List.of(target), pools);
  }

  /** What the engine serves: one target whose LUNs 1, 2, ... are backed by {@code stores}. */
  static TargetSetSpec serving(String... stores) {
    List<LunSpec> luns = new ArrayList<>();
    for (int i = 0; i < stores.length; i++) {
      luns.add(LunSpec.tgtDefault(1, i + 1, stores[i]));
    }
    return new TargetSetSpec(
        List.of(
            new TargetSpec(
                1,
                "iqn.2026-11.dev.lunar:served",
                luns,
                List.of(),
                List.of(),
                List.of(),
                null,
                Map.of())),
        List.of());
  }

  static NodePool pool(String name, Path dir, Long capacityBytes) {
    return NodePool.directory(name, dir.toString(), capacityBytes);
  }

  /** Bytes the filesystem really gave the file (st_blocks), which Java's attributes do not show. */
  static long allocatedBytes(Path file) throws IOException, InterruptedException {
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    String[] blocks =
        new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
    if (stat.waitFor() != 0) {
      throw new IOException("stat " + file + " failed");
    }
    return Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
  }
}
