package dev.umoci.mutate;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.layer.Compression;
import java.util.Optional;

/**
 * A {@code --compress} value: one fixed {@link Compression}, or {@code auto}, which reuses the
 * compression of the image's most recent compressed layer and falls back to gzip (it never picks
 * {@code none}; see {@link ImageMutator#resolve(CompressionChoice)}).
 */
public record CompressionChoice(Optional<Compression> fixed) {
  public static final CompressionChoice AUTO = new CompressionChoice(Optional.empty());

  public CompressionChoice {
    fixed = fixed == null ? Optional.empty() : fixed;
  }

  /** Always this compression. */
  public static CompressionChoice of(Compression compression) {
    return new CompressionChoice(Optional.of(compression));
  }

  /** Parses {@code gzip}, {@code zstd}, {@code none} or {@code auto}. */
  public static CompressionChoice parse(String flag) throws InvalidArgumentException {
    if ("auto".equals(flag)) {
      return AUTO;
    }
    return of(Compression.ofFlag(flag));
  }

  public boolean isAuto() {
    return fixed.isEmpty();
  }

  @Override
  public String toString() {
    return fixed.map(Compression::flagName).orElse("auto");
  }
}
