package dev.umoci.cli;

import dev.umoci.sys.ErrnoException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * Which failures umoci's {@code errors.Is(err, os.ErrPermission)} matches (EPERM and EACCES), after
 * which umoci warns {@link #ROOTLESS_HINT}.
 */
final class PermissionErrors {
  private PermissionErrors() {}

  /** umoci 0.6's words (cmd/umoci/main.go). */
  static final String ROOTLESS_HINT =
      "umoci encountered a permission error: maybe --rootless will help?";

  /**
   * The JDK's text for EPERM. The JDK maps EACCES to {@link AccessDeniedException} but EPERM only
   * to a plain {@link FileSystemException} whose reason is strerror(EPERM), so that reason is the
   * one way to recognise it.
   */
  private static final String EPERM_REASON = "Operation not permitted";

  /** True when {@code e} or one of its causes is an EPERM or EACCES failure. */
  static boolean isPermissionError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AccessDeniedException) {
        return true;
      }
      if (t instanceof ErrnoException errno && errno.isPermissionError()) {
        return true;
      }
      if (t instanceof FileSystemException fs && EPERM_REASON.equals(fs.getReason())) {
        return true;
      }
    }
    return false;
  }
}
