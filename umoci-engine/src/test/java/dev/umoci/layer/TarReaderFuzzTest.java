package dev.umoci.layer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.spec.InputLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Fuzz targets for the tar reader and PAX records. The only exception a hostile archive may cause
 * is {@link InvalidImageException} (with its subclass for input limits); anything else escaping is
 * a finding. Inputs in {@code TarReaderFuzzTestInputs/} run as regression tests in every build.
 */
class TarReaderFuzzTest {
  /** Small limits, so that a mutated size field cannot make one input take long. */
  static final InputLimits LIMITS =
      new InputLimits(1 << 20, 64 << 10, 16 << 10, 4096, 4096, 4 << 20, 10_000);

  @FuzzTest(maxDuration = "60s")
  void tarReader(byte[] data) {
    try (TarReader reader = new TarReader(new ByteArrayInputStream(data), LIMITS)) {
      TarEntry entry;
      while ((entry = reader.next()) != null) {
        entry.displayName();
        entry.xattrs();
        reader.content().transferTo(OutputStream.nullOutputStream());
      }
      reader.drain();
    } catch (InvalidImageException expected) {
      // malformed or over a limit: the declared failure
    } catch (IOException e) {
      throw new UncheckedIOException("undeclared I/O failure reading a tar archive", e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void paxRecords(byte[] data) {
    try {
      PaxRecords.parse(data, "fuzz");
    } catch (InvalidImageException expected) {
      // malformed record: the declared failure
    }
  }
}
