package dev.umoci.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code umoci --version}: the version lines umoci 0.6 prints. */
final class VersionProvider implements IVersionProvider {
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "umoci version " + version(),
      "image spec: 1.1.1",
      "runtime spec: 1.2.1",
      "java: " + System.getProperty("java.version")
    };
  }
}
