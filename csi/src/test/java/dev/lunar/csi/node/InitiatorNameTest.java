package dev.lunar.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitiatorNameTest {

  @TempDir Path dir;

  @Test
  void readsTheInitiatorNameLineBelowOpenIscsisComments() throws Exception {
    Path file = dir.resolve("initiatorname.iscsi");
    Files.writeString(
        file,
        """
        ## DO NOT EDIT OR REMOVE THIS FILE!
        ## If you remove this file, the iSCSI daemon will not start.
        InitiatorName=iqn.1993-08.org.debian:01:36b24d7d72d1
        """);

    assertThat(InitiatorName.read(file)).isEqualTo("iqn.1993-08.org.debian:01:36b24d7d72d1");
  }

  @Test
  void aMissingFileOrLineSaysWhatToDo() throws Exception {
    assertThatThrownBy(() -> InitiatorName.read(dir.resolve("none")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("install open-iscsi");
    Path empty = Files.writeString(dir.resolve("empty"), "## nothing\nInitiatorName=\n");
    assertThatThrownBy(() -> InitiatorName.read(empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no InitiatorName=");
  }
}
