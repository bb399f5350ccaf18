package dev.umoci.ops;

import java.nio.file.Path;
import java.util.List;

/**
 * Options of {@link MtreeValidate}, as umoci's hidden {@code raw mtree-validate} flags.
 *
 * @param manifest {@code -f/--file/--manifest}: the mtree spec to validate against (required)
 * @param root {@code -p/--path}: the directory the spec describes; null means the current directory
 * @param addKeywords {@code -K/--add-keywords}: keywords added to the compared set (null: none)
 * @param useKeywords {@code -k/--use-keywords}: the only keywords compared; null when not given
 * @param umociKeywords {@code --umoci-keywords}: compare umoci's keyword set (when {@code -k} is
 *     not given)
 * @param rootless {@code --rootless}: open unreadable files and directories by temporarily adding
 *     owner permissions, as umoci's rootless file access does
 */
public record MtreeValidateOptions(
    Path manifest,
    Path root,
    List<String> addKeywords,
    List<String> useKeywords,
    boolean umociKeywords,
    boolean rootless) {
  public MtreeValidateOptions {
    root = root == null ? Path.of(".") : root;
    addKeywords = addKeywords == null ? List.of() : List.copyOf(addKeywords);
    useKeywords = useKeywords == null ? null : List.copyOf(useKeywords);
  }

  /** Validate {@code root} against {@code manifest} with the keywords the manifest uses. */
  public static MtreeValidateOptions of(Path manifest, Path root) {
    return new MtreeValidateOptions(manifest, root, null, null, false, false);
  }

  /** These options with {@code -K} keywords added to the compared set (null: none). */
  public MtreeValidateOptions withAddKeywords(List<String> keywords) {
    return new MtreeValidateOptions(manifest, root, keywords, useKeywords, umociKeywords, rootless);
  }

  /** These options comparing only the {@code -k} keywords (null: not given). */
  public MtreeValidateOptions withUseKeywords(List<String> keywords) {
    return new MtreeValidateOptions(manifest, root, addKeywords, keywords, umociKeywords, rootless);
  }

  /** These options with {@code --umoci-keywords} ({@code true}) or without it. */
  public MtreeValidateOptions withUmociKeywords(boolean umoci) {
    return new MtreeValidateOptions(manifest, root, addKeywords, useKeywords, umoci, rootless);
  }

  /** These options with {@code --rootless} file access ({@code true}) or without it. */
  public MtreeValidateOptions withRootless(boolean rootlessAccess) {
    return new MtreeValidateOptions(
        manifest, root, addKeywords, useKeywords, umociKeywords, rootlessAccess);
  }
}
