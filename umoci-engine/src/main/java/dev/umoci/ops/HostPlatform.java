package dev.umoci.ops;

import java.util.Locale;

/**
 * The host platform in Go's names ({@code GOOS}/{@code GOARCH}), as {@code umoci new} records it.
 */
public record HostPlatform(String os, String architecture, String variant) {

  /** The platform this JVM runs on. */
  public static HostPlatform current() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String goos = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "darwin" : os;
    return forJavaArch(goos, System.getProperty("os.arch", ""));
  }

  /** Maps a Java {@code os.arch} value to GOARCH (and the ARM variant where it is implied). */
  static HostPlatform forJavaArch(String goos, String javaArch) {
    return switch (javaArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> new HostPlatform(goos, "amd64", null);
      case "aarch64", "arm64" -> new HostPlatform(goos, "arm64", "v8");
      case "x86", "i386", "i486", "i586", "i686" -> new HostPlatform(goos, "386", null);
      case "arm", "arm32" -> new HostPlatform(goos, "arm", "v7");
      case "ppc64le" -> new HostPlatform(goos, "ppc64le", null);
      case "ppc64" -> new HostPlatform(goos, "ppc64", null);
      case "s390x" -> new HostPlatform(goos, "s390x", null);
      case "riscv64" -> new HostPlatform(goos, "riscv64", null);
      case "loongarch64" -> new HostPlatform(goos, "loong64", null);
      default -> new HostPlatform(goos, javaArch, null);
    };
  }
}
