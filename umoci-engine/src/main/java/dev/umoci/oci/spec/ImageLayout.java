package dev.umoci.oci.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code oci-layout} marker file of an image layout. */
public record ImageLayout(@JsonProperty("imageLayoutVersion") String imageLayoutVersion) {
  public static final String VERSION = "1.0.0";

  public static ImageLayout current() {
    return new ImageLayout(VERSION);
  }
}
