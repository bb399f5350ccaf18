package dev.umoci.oci.spec.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.oci.spec.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecJsonTest {
  @Test
  void omitsWhatGoOmitsAndKeepsRequiredMembers() {
    Spec spec =
        new Spec(
            "1.2.1",
            new Process(false, null, null, null, null, null, null, false),
            new Root("rootfs", false),
            "",
            null,
            Map.of(),
            new Linux(null, null, null, null, null, null));
    assertEquals(
        "{\"ociVersion\":\"1.2.1\",\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"cwd\":\"\"},"
            + "\"root\":{\"path\":\"rootfs\"},\"linux\":{}}",
        new String(Json.toBytes(spec), StandardCharsets.UTF_8));
  }

  @Test
  void readsRuntimeConfigsWithUnknownMembers() throws Exception {
    String json =
        "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"terminal\":true,\"user\":{\"uid\":1,\"gid\":2,"
            + "\"additionalGids\":[3]},\"args\":[\"sh\"],\"cwd\":\"/\",\"apparmorProfile\":\"x\"},"
            + "\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"mounts\":[{\"destination\":\"/proc\","
            + "\"type\":\"proc\",\"source\":\"proc\"}],\"linux\":{\"seccomp\":{\"defaultAction\":"
            + "\"SCMP_ACT_ALLOW\"},\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
            + "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}],"
            + "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}},\"hooks\":{}}";
    Spec spec = Json.parse(json.getBytes(StandardCharsets.UTF_8), Spec.class, "config.json");
    assertEquals(new User(1, 2, null, List.of(3L)), spec.process().user());
    assertEquals(new Root("rootfs", true), spec.root());
    assertEquals(List.of(new Mount("/proc", "proc", "proc", null)), spec.mounts());
    assertEquals(new Namespace("network", "/proc/1/ns/net"), spec.linux().namespaces().get(1));
    assertEquals(List.of(new LinuxIdMapping(0, 1000, 1)), spec.linux().uidMappings());
    assertEquals(List.of(DeviceCgroup.denyAll("rwm")), spec.linux().resources().devices());
    assertEquals(
        "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"terminal\":true,\"user\":{\"uid\":1,\"gid\":2,"
            + "\"additionalGids\":[3]},\"args\":[\"sh\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\","
            + "\"readonly\":true},\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":"
            + "\"proc\"}],\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}],"
            + "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},\"namespaces\":"
            + "[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"}]}}",
        new String(Json.toBytes(spec), StandardCharsets.UTF_8));
  }
}
