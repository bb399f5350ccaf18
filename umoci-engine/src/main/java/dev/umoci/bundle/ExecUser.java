package dev.umoci.bundle;

import java.util.List;

/**
 * The identity a container process runs as, resolved from an image's {@code Config.User}: uid,
 * primary gid, supplementary gids and the home directory ({@code ""} when unknown). Ids are the raw
 * values found (Go {@code int}); callers truncate them to uint32 as umoci does.
 */
public record ExecUser(long uid, long gid, List<Long> additionalGids, String home) {
  public ExecUser {
    additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
    home = home == null ? "" : home;
  }

  /** root:root with no supplementary groups and no home: umoci's fallback. */
  public static ExecUser root() {
    return new ExecUser(0, 0, List.of(), "");
  }
}
