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
 * Fuzz target for reading an {@code oci-archive} ({@link OciArchiveReader}): a hostile archive may
 * only cause a {@link UmociException} (a one-line failure naming the archive), and nothing may be
 * written beside the layout it extracts into. Inputs in {@code OciArchiveReaderFuzzTestInputs/} (a
 * small valid archive, and ones with an escaping name and a link) run as regression tests in every
 * build.
 */
class OciArchiveReaderFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void ociArchive(byte[] data) throws IOException {
    Path work = Files.createTempDirectory("oci-archive-fuzz-");
    try {
      Path archive = Files.write(work.resolve("in.tar"), data);
      try {
        OciArchiveReader.extract(archive, work.resolve("layout"));
      } catch (UmociException expected) {
        // malformed or hostile: the declared failure
      } catch (IOException e) {
        throw new UncheckedIOException("undeclared I/O failure reading an oci-archive", e);
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
