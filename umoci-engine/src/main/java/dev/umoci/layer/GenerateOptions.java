package dev.umoci.layer;

import dev.umoci.fs.IdMapping;
import java.time.Instant;
import java.util.Objects;

/**
 * How filesystem content becomes tar entries (umoci's {@code RepackOptions}).
 *
 * @param mapping host ids to container ids; identity when it has no maps. Ignored for owners in
 *     rootless mode, where every entry is owned by 0:0 unless its {@code user.rootlesscontainers}
 *     xattr says otherwise (umoci's {@code mapHeader}).
 * @param clampMtime null keeps modification times; otherwise times newer than this are set to it
 *     (like {@code tar --clamp-mtime}, umoci's SOURCE_DATE_EPOCH handling), or every time when
 *     {@code fixedMtime}
 * @param forceUid null keeps the (mapped) owner; otherwise every entry gets this uid
 * @param forceGid null keeps the (mapped) group; otherwise every entry gets this gid
 * @param rootless read the {@code user.rootlesscontainers} xattr for owners (and strip it), and
 *     work around missing owner permissions when reading
 * @param fixedMtime with {@code clampMtime} set: every entry's time is {@code clampMtime}, older
 *     ones too (as maven-jar-plugin sets every entry to {@code outputTimestamp}), so the times the
 *     files have on disk never reach the layer; ignored without {@code clampMtime}
 */
public record GenerateOptions(
    IdMapping mapping,
    Instant clampMtime,
    Integer forceUid,
    Integer forceGid,
    boolean rootless,
    boolean fixedMtime) {

  public GenerateOptions {
    Objects.requireNonNull(mapping, "mapping");
  }

  /** Options that clamp times to {@code clampMtime} (null: keep them), never raising older ones. */
  public GenerateOptions(
      IdMapping mapping, Instant clampMtime, Integer forceUid, Integer forceGid, boolean rootless) {
    this(mapping, clampMtime, forceUid, forceGid, rootless, false);
  }

  /** Identity mapping, no clamp, no forced owner, not rootless. */
  public static GenerateOptions defaults() {
    return new GenerateOptions(IdMapping.identity(), null, null, null, false);
  }

  /** Options for {@code mapping} (rootless as the mapping says) clamping times to {@code clamp}. */
  public static GenerateOptions of(IdMapping mapping, Instant clampMtime) {
    return new GenerateOptions(mapping, clampMtime, null, null, mapping.rootless());
  }
}
