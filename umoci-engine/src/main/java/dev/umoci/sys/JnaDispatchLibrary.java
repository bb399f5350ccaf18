package dev.umoci.sys;

import com.sun.jna.Platform;

/**
 * Where JNA's own native library ({@code libjnidispatch}) sits in JNA's jar for this platform. On
 * every start JNA copies that library out of the jar into a new temporary file (made with a {@link
 * java.security.SecureRandom} name and deleted on exit) unless the system property {@code
 * jna.boot.library.path} names a directory that holds it. The CLI's build copies it once beside the
 * jar ({@code dev.umoci.cds.JnaDispatchCopy}) and {@code bin/umoci} points JNA at that copy.
 */
public final class JnaDispatchLibrary {
  private JnaDispatchLibrary() {}

  /** The library's file name, as JNA looks it up in {@code jna.boot.library.path}. */
  public static String fileName() {
    return System.mapLibraryName("jnidispatch");
  }

  /** The library's resource name in JNA's jar for this platform (no leading slash). */
  public static String resourceName() {
    return "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + fileName();
  }
}
