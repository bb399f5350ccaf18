package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.layer.TarBuilder;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.ImageConfig;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsTest {
  static final Instant NOW = Instant.parse("2024-05-06T07:08:09.5Z");
  static final Timestamps CLOCK = Timestamps.fixed(NOW);
  static final Timestamps SDE =
      new Timestamps(Clock.fixed(NOW, ZoneOffset.UTC), Optional.of(Instant.ofEpochSecond(1000)));

  @TempDir Path tmp;
  Path dir;
  ImageRef image;

  @BeforeEach
  void setUp() throws IOException {
    dir = tmp.resolve("img");
    InitLayout.run(new InitLayout.Options(dir));
    image = new ImageRef(dir, "base");
    NewImage.run(new NewImage.Options(image, CLOCK, new HostPlatform("linux", "arm64", "v8")));
  }

  Image config(String tag) throws IOException {
    return StatImage.run(new StatImage.Options(new ImageRef(dir, tag))).image();
  }

  @Test
  void newImageRecordsTimeAndPlatformWithoutHistory() throws IOException {
    Image img = config("base");
    assertEquals("2024-05-06T07:08:09.5Z", img.created());
    assertEquals("arm64", img.architecture());
    assertEquals("v8", img.variant());
    assertEquals(List.of(), img.history());
    NewImage.run(new NewImage.Options(new ImageRef(dir, "sde"), SDE));
    assertEquals("1970-01-01T00:16:40Z", config("sde").created());
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void sourceDateEpochParsing() throws InvalidArgumentException {
    assertEquals(Optional.empty(), Timestamps.parseSourceDateEpoch(""));
    assertEquals(Optional.of(Instant.ofEpochSecond(42)), Timestamps.parseSourceDateEpoch("42"));
    assertThrows(InvalidArgumentException.class, () -> Timestamps.parseSourceDateEpoch("1.5"));
    assertThrows(InvalidArgumentException.class, () -> Timestamps.parseSourceDateEpoch("x"));
  }

  @Test
  void configChangesEveryField() throws IOException {
    ConfigUpdate.run(
        ConfigUpdate.Options.builder(image)
            .timestamps(CLOCK)
            .user("1000:1000")
            .exposedPorts(List.of("80/tcp", "443/tcp"))
            .env(List.of("A=1", "B=2"))
            .entrypoint(List.of("/bin/sh", "-c"))
            .cmd(List.of("echo hi"))
            .volumes(List.of("/data"))
            .labels(List.of("l1=v1", "l2=v=2"))
            .workingDir("/srv")
            .stopSignal("SIGTERM")
            .created("2001-02-03T04:05:06+01:00")
            .author("alice")
            .os("freebsd")
            .architecture("riscv64")
            .variant("rv1")
            .manifestAnnotations(List.of("org.example=yes"))
            .build());
    Image img = config("base");
    ImageConfig c = img.config();
    assertEquals("1000:1000", c.user());
    assertEquals(Set.of("80/tcp", "443/tcp"), c.exposedPorts());
    assertEquals(List.of("A=1", "B=2"), c.env());
    assertEquals(List.of("/bin/sh", "-c"), c.entrypoint());
    assertEquals(List.of("echo hi"), c.cmd());
    assertEquals(Set.of("/data"), c.volumes());
    assertEquals(Map.of("l1", "v1", "l2", "v=2"), c.labels());
    assertEquals("/srv", c.workingDir());
    assertEquals("SIGTERM", c.stopSignal());
    // kept in the offset it was given, as Go marshals a time.Time parsed from RFC 3339
    assertEquals("2001-02-03T04:05:06+01:00", img.created());
    assertEquals("alice", img.author());
    assertEquals("freebsd", img.os());
    assertEquals("riscv64", img.architecture());
    assertEquals("rv1", img.variant());
    assertEquals(
        List.of(new History("2024-05-06T07:08:09.5Z", "umoci config", "alice", null, true)),
        img.history());
    var stat = StatImage.run(new StatImage.Options(image));
    assertEquals("yes", stat.manifest().annotations().get("org.example"));

    ConfigUpdate.run(
        ConfigUpdate.Options.builder(image)
            .timestamps(SDE)
            .clear(List.of("config.labels", "config.cmd", "manifest.annotations", "config.volume"))
            .env(List.of("A=changed"))
            .labels(List.of("only=this"))
            .history(
                HistoryOptions.defaults()
                    .withAuthor("bob")
                    .withComment("why")
                    .withCreatedBy("by hand"))
            .build());
    Image after = config("base");
    assertEquals(List.of("A=changed", "B=2"), after.config().env());
    assertEquals(Map.of("only", "this"), after.config().labels());
    assertNull(after.config().cmd());
    assertEquals(Set.of(), after.config().volumes() == null ? Set.of() : after.config().volumes());
    assertEquals("2001-02-03T04:05:06+01:00", after.created());
    assertEquals(
        new History("1970-01-01T00:16:40Z", "by hand", "bob", "why", true), after.history().get(1));
    assertTrue(StatImage.run(new StatImage.Options(image)).manifest().annotations().isEmpty());
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void configWithTagLeavesTheSourceAlone() throws IOException {
    var before = StatImage.run(new StatImage.Options(image)).manifestDescriptor().digest();
    ConfigUpdate.run(
        ConfigUpdate.Options.builder(image)
            .timestamps(CLOCK)
            .newTag("derived")
            .history(HistoryOptions.none())
            .author("x")
            .build());
    assertEquals(before, StatImage.run(new StatImage.Options(image)).manifestDescriptor().digest());
    assertEquals("x", config("derived").author());
    assertEquals(List.of(), config("derived").history());
    assertEquals(List.of("base", "derived"), ListTags.run(new ListTags.Options(dir)));
  }

  @Test
  void configRefusesUnsafeAndUnknownClears() {
    var unsafe =
        assertThrows(
            InvalidArgumentException.class,
            () ->
                ConfigUpdate.run(
                    ConfigUpdate.Options.builder(image)
                        .timestamps(CLOCK)
                        .clear(List.of("rootfs.diffids"))
                        .build()));
    assertEquals("--clear=rootfs.diffids is not safe", unsafe.getMessage());
    assertThrows(
        InvalidArgumentException.class,
        () ->
            ConfigUpdate.run(
                ConfigUpdate.Options.builder(image)
                    .timestamps(CLOCK)
                    .clear(List.of("nonsense"))
                    .build()));
    assertThrows(
        InvalidArgumentException.class,
        () ->
            ConfigUpdate.run(
                ConfigUpdate.Options.builder(image)
                    .timestamps(CLOCK)
                    .env(List.of("NOEQUALS"))
                    .build()));
  }

  @Test
  void rawAddLayerAppendsWithHistoryAndStatShowsIt() throws IOException {
    ConfigUpdate.run(
        ConfigUpdate.Options.builder(image).timestamps(CLOCK).author("img-author").build());
    Path tar = new TarBuilder().file("hello.txt", "hi\n").mode(0644).writeTo(tmp.resolve("l.tar"));
    var layer = RawAddLayer.run(RawAddLayer.Options.of(image, tar, SDE).withNewTag("withlayer"));
    assertEquals(MediaTypes.LAYER_TAR_GZIP, layer.mediaType());
    StatReport stat = StatImage.run(new StatImage.Options(new ImageRef(dir, "withlayer")));
    assertEquals(2, stat.history().size());
    StatReport.HistoryStat last = stat.history().get(1);
    assertEquals(layer.digest(), last.layer().digest());
    assertEquals("umoci raw add-layer", last.history().createdBy());
    assertEquals("img-author", last.history().author());
    assertEquals("1970-01-01T00:16:40Z", last.history().created());

    JsonNode json = stat.toJson();
    assertEquals(
        stat.manifestDescriptor().digest().toString(),
        json.at("/manifest/descriptor/digest").asText());
    assertEquals(2, json.at("/manifest/blob/schemaVersion").asInt());
    assertEquals("linux", json.at("/config/blob/os").asText());
    assertTrue(json.at("/history/0/layer").isNull());
    assertEquals("", json.at("/history/0/diff_id").asText());
    assertEquals(layer.digest().toString(), json.at("/history/1/layer/digest").asText());
    assertTrue(json.at("/history/1/diff_id").asText().startsWith("sha256:"));
    String human = stat.format();
    assertTrue(human.contains("== HISTORY =="), human);
    assertTrue(human.contains("umoci raw add-layer"), human);
    LayoutChecks.assertValid(dir);
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void historyOptionsValidate() {
    var e =
        assertThrows(
            InvalidArgumentException.class, () -> HistoryOptions.none().withAuthor("a").validate());
    assertEquals("--no-history and --history.author may not be specified together", e.getMessage());
    assertThrows(
        InvalidArgumentException.class,
        () -> HistoryOptions.defaults().withCreated("yesterday").validate());
  }

  @Test
  void imageRefParsing() throws InvalidArgumentException {
    assertEquals(new ImageRef(Path.of("a"), "latest"), ImageRef.parse("a"));
    assertEquals(new ImageRef(Path.of("a"), "b:c"), ImageRef.parse("a:b:c"));
    assertThrows(InvalidArgumentException.class, () -> ImageRef.parse(":x"));
    assertThrows(InvalidArgumentException.class, () -> ImageRef.parse("a:"));
    assertThrows(InvalidArgumentException.class, () -> ImageRef.parseLayout("a:b"));
  }

  @Test
  void humanSizeLikeGoUnits() {
    assertEquals("512B", StatReport.humanSize(512));
    assertEquals("1.234kB", StatReport.humanSize(1234));
    assertEquals("10MB", StatReport.humanSize(10_000_000));
  }
}
