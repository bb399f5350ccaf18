package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.mutate.ImageMutator;
import dev.umoci.oci.casext.DescriptorPath;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.History;
import dev.umoci.oci.spec.Image;
import dev.umoci.oci.spec.Rfc3339;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * {@code umoci config}: rewrites the image config and manifest annotations and commits a new
 * manifest. {@code --clear} keys apply first, then every given value. Null fields (and null lists)
 * mean "not given". A history entry {@code umoci config} with {@code empty_layer} is added unless
 * disabled; its author defaults to the image author after the change. {@code created} of the image
 * changes only with {@link Options#created()}.
 */
public final class ConfigUpdate {
  private ConfigUpdate() {}

  /** Keys {@code --clear} accepts. */
  public static final Set<String> CLEARABLE =
      Set.of(
          "config.labels",
          "manifest.annotations",
          "config.exposedports",
          "config.env",
          "config.volume",
          "config.cmd",
          "config.entrypoint");

  /**
   * The changes. Lists replace ({@code entrypoint}, {@code cmd}) or add to ({@code exposedPorts},
   * {@code env} by variable name, {@code volumes}, {@code labels} and {@code manifestAnnotations}
   * as {@code key=value}) the current values.
   */
  public record Options(
      ImageRef image,
      String newTag,
      List<String> clear,
      String user,
      List<String> exposedPorts,
      List<String> env,
      List<String> entrypoint,
      List<String> cmd,
      List<String> volumes,
      List<String> labels,
      String workingDir,
      String stopSignal,
      String created,
      String author,
      String os,
      String architecture,
      String variant,
      List<String> manifestAnnotations,
      HistoryOptions history,
      Timestamps timestamps) {

    public static Builder builder(ImageRef image) {
      return new Builder(image);
    }
  }

  /** Fluent construction of {@link Options}; unset fields stay "not given". */
  public static final class Builder {
    private final ImageRef image;
    private String newTag;
    private List<String> clear;
    private String user;
    private List<String> exposedPorts;
    private List<String> env;
    private List<String> entrypoint;
    private List<String> cmd;
    private List<String> volumes;
    private List<String> labels;
    private String workingDir;
    private String stopSignal;
    private String created;
    private String author;
    private String os;
    private String architecture;
    private String variant;
    private List<String> manifestAnnotations;
    private HistoryOptions history = HistoryOptions.defaults();
    private Timestamps timestamps;

    private Builder(ImageRef image) {
      this.image = image;
    }

    public Builder newTag(String v) {
      newTag = v;
      return this;
    }

    public Builder clear(List<String> v) {
      clear = v;
      return this;
    }

    public Builder user(String v) {
      user = v;
      return this;
    }

    public Builder exposedPorts(List<String> v) {
      exposedPorts = v;
      return this;
    }

    public Builder env(List<String> v) {
      env = v;
      return this;
    }

    public Builder entrypoint(List<String> v) {
      entrypoint = v;
      return this;
    }

    public Builder cmd(List<String> v) {
      cmd = v;
      return this;
    }

    public Builder volumes(List<String> v) {
      volumes = v;
      return this;
    }

    public Builder labels(List<String> v) {
      labels = v;
      return this;
    }

    public Builder workingDir(String v) {
      workingDir = v;
      return this;
    }

    public Builder stopSignal(String v) {
      stopSignal = v;
      return this;
    }

    public Builder created(String v) {
      created = v;
      return this;
    }

    public Builder author(String v) {
      author = v;
      return this;
    }

    public Builder os(String v) {
      os = v;
      return this;
    }

    public Builder architecture(String v) {
      architecture = v;
      return this;
    }

    public Builder variant(String v) {
      variant = v;
      return this;
    }

    public Builder manifestAnnotations(List<String> v) {
      manifestAnnotations = v;
      return this;
    }

    public Builder history(HistoryOptions v) {
      history = v;
      return this;
    }

    public Builder timestamps(Timestamps v) {
      timestamps = v;
      return this;
    }

    public Options build() {
      return new Options(
          image,
          newTag,
          clear,
          user,
          exposedPorts,
          env,
          entrypoint,
          cmd,
          volumes,
          labels,
          workingDir,
          stopSignal,
          created,
          author,
          os,
          architecture,
          variant,
          manifestAnnotations,
          history,
          timestamps);
    }
  }

  /** Applies the changes; returns the new manifest descriptor as tagged. */
  public static Descriptor run(Options o) throws IOException {
    String tag = o.newTag() != null ? o.newTag() : o.image().tag();
    ReferenceNames.require(tag, "--tag");
    HistoryOptions historyOptions = o.history() == null ? HistoryOptions.defaults() : o.history();
    historyOptions.validate();
    validate(o);
    try (OciLayout layout = OciLayout.open(o.image().layout())) {
      DescriptorPath from = o.image().resolveManifest(layout);
      ImageMutator mutator = ImageMutator.load(layout, from);
      Image after = applyTo(o, mutator);
      History entry = historyOptions.entry("umoci config", after.author(), o.timestamps(), true);
      if (entry != null) {
        mutator.addHistory(entry);
      }
      DescriptorPath committed = mutator.commit();
      References.update(layout, tag, committed.root());
      return committed
          .root()
          .withAnnotation(dev.umoci.oci.spec.MediaTypes.ANNOTATION_REF_NAME, tag);
    }
  }

  /** Checks the {@code clear} keys and the {@code created} time of {@code o}. */
  static void validate(Options o) throws InvalidArgumentException {
    List<String> clear = o.clear() == null ? List.of() : o.clear();
    for (String key : clear) {
      if ("rootfs.diffids".equals(key)) {
        throw new InvalidArgumentException("--clear=rootfs.diffids is not safe");
      }
      if (!CLEARABLE.contains(key)) {
        throw new InvalidArgumentException("unknown key to --clear: " + key);
      }
    }
    if (o.created() != null) {
      Rfc3339.parse(o.created(), "--created");
    }
  }

  /**
   * Applies the config and manifest-annotation changes of {@code o} to the image {@code mutator}
   * holds (no history entry, no commit, {@code image}/{@code newTag}/{@code history}/{@code
   * timestamps} of {@code o} unused). Shared by {@link #run} and {@link BuildImage}.
   *
   * @return the changed image config
   */
  static Image applyTo(Options o, ImageMutator mutator) throws IOException {
    validate(o);
    return ConfigEdit.apply(o, mutator);
  }
}
