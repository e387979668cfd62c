package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pluginregistration.Api.RegistrationStatus;

class NodeReadinessTest {

  @TempDir Path dir;

  private Path bin;
  private Path state;
  private Path socket;
  private final AtomicReference<Optional<RegistrationStatus>> kubelet =
      new AtomicReference<>(Optional.empty());
  private NodeReadiness readiness;

  @BeforeEach
  void aHealthyNode() throws Exception {
    bin = Files.createDirectories(dir.resolve("sbin"));
    Files.writeString(bin.resolve("iscsiadm"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        bin.resolve("iscsiadm"), PosixFilePermissions.fromString("rwxr-xr-x"));
    state = Files.createDirectories(dir.resolve("state"));
    socket = Files.createFile(dir.resolve("reg.sock"));
    readiness = new NodeReadiness(List.of(dir.resolve("bin"), bin), state, socket, kubelet::get);
  }

  @Test
  void readyWithIscsiadmAWritableStateDirAndTheRegistrationSocket() {
    assertThat(readiness.problem()).isEmpty();

    kubelet.set(Optional.of(RegistrationStatus.newBuilder().setPluginRegistered(true).build()));
    assertThat(readiness.problem()).isEmpty();
  }

  @Test
  void iscsiadmMissingOrNotExecutable() throws Exception {
    Files.setPosixFilePermissions(
        bin.resolve("iscsiadm"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(readiness.problem()).get().asString().contains("iscsiadm is not on the PATH");
    Files.delete(bin.resolve("iscsiadm"));
    assertThat(readiness.problem()).get().asString().contains("open-iscsi is missing");
  }

  @Test
  void stateDirGoneOrAFile() throws Exception {
    Files.delete(state);
    assertThat(readiness.problem()).get().asString().contains(state + " is not a writable");
    Files.writeString(state, "not a directory");
    assertThat(readiness.problem()).get().asString().contains(state + " is not a writable");
  }

  @Test
  void registrationSocketGone() throws Exception {
    Files.delete(socket);

    assertThat(readiness.problem())
        .get()
        .asString()
        .contains(socket.toString(), "kubelet cannot find the driver again");
  }

  @Test
  void kubeletRefusedTheDriver() {
    kubelet.set(
        Optional.of(
            RegistrationStatus.newBuilder()
                .setPluginRegistered(false)
                .setError("unsupported version")
                .build()));

    assertThat(readiness.problem()).contains("kubelet refused the driver: unsupported version");
  }
}
