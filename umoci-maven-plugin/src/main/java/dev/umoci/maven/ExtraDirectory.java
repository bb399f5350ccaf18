package dev.umoci.maven;

import java.io.File;

/**
 * One {@code <extraDirectory>} of the {@code build} goal: the contents of {@link #from} are put
 * under {@link #into} in the image.
 */
public class ExtraDirectory {
  /** Directory on the build machine whose contents go into the image. Required. */
  File from;

  /** Absolute directory in the image that receives the contents; default {@code /}. */
  String into = "/";

  public ExtraDirectory() {}

  ExtraDirectory(File from, String into) {
    this.from = from;
    this.into = into;
  }
}
