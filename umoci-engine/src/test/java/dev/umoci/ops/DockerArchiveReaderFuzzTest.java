package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.UmociException;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fuzz target for reading a {@code docker-archive} ({@link DockerArchiveReader}): a hostile archive
 * may only cause a {@link UmociException}, and nothing may be written beside the layout it reads
 * into. Inputs in {@code DockerArchiveReaderFuzzTestInputs/} (a small archive as we write it, and
 * one with links, as {@code docker save} writes repeated layers) run as regression tests in every
 * build.
 */
class DockerArchiveReaderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void dockerArchive(byte[] data) throws IOException {
    Path work = Files.createTempDirectory("docker-archive-fuzz-");
    try {
      Path archive = Files.write(work.resolve("in.tar"), data);
      try {
        DockerArchiveReader.read(archive, null, work.resolve("layout"), "image");
      } catch (UmociException expected) {
        // malformed or hostile: the declared failure
      } catch (IOException e) {
        throw new UncheckedIOException("undeclared I/O failure reading a docker-archive", e);
      }
      try (Stream<Path> s = Files.list(work)) {
        List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("in.tar", "layout"), names, "nothing beside the layout");
      }
    } finally {
      TreeRemover.direct().remove(work);
    }
  }
}
