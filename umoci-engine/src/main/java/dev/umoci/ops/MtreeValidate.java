package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.mtree.InodeDelta;
import dev.umoci.mtree.Keywords;
import dev.umoci.mtree.MtreeCompare;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * umoci's {@code raw mtree-validate} (0.6): checks a directory against an mtree spec, as {@code
 * gomtree validate} does.
 *
 * <p>Compared keywords: {@code -k} if given, else umoci's set with {@code --umoci-keywords}, else
 * those the spec uses; then each {@code -K} keyword not yet present; {@code type} is put first when
 * missing. Keyword names are replaced by their synonyms ({@code sha256} → {@code sha256digest}).
 */
public final class MtreeValidate {
  private static final Logger LOG = LoggerFactory.getLogger(MtreeValidate.class);

  private MtreeValidate() {}

  /** The outcome: the differences found and the keywords compared. */
  public record Result(List<InodeDelta> deltas, List<String> keywords) {
    public Result {
      deltas = List.copyOf(deltas);
      keywords = List.copyOf(keywords);
    }

    /** True when the directory matches the spec. */
    public boolean success() {
      return deltas.isEmpty();
    }

    /**
     * One line per difference, as umoci prints them ({@code "path": keyword "k": expected X; got
     * Y}, {@code "path": missing path}, {@code "path": unexpected path}), each ending in a newline;
     * empty on success.
     */
    public String formatReport() {
      StringBuilder out = new StringBuilder();
      for (InodeDelta d : deltas) {
        out.append(d.describe()).append('\n');
      }
      return out.toString();
    }

    /** umoci's closing error line on failure ({@code validation failed: N differences found}). */
    public String failureMessage() {
      return success() ? null : "validation failed: " + deltas.size() + " differences found";
    }
  }

  /**
   * Validates {@code options.root()} against {@code options.manifest()}.
   *
   * @throws InvalidArgumentException when no manifest is given or a keyword is unknown
   * @throws dev.umoci.errors.MtreeFormatException when the manifest cannot be parsed
   * @throws IOException when the manifest or the directory cannot be read
   */
  public static Result run(MtreeValidateOptions options) throws IOException {
    if (options.manifest() == null || options.manifest().toString().isEmpty()) {
      throw new InvalidArgumentException("--manifest must be a valid path");
    }
    MtreeSpec spec = MtreeSpec.read(options.manifest());
    List<String> keywords = compareKeywords(options, spec);
    LOG.debug(
        "validating {} against {} with keywords {}", options.root(), options.manifest(), keywords);
    MtreeWalker walker =
        MtreeWalker.builder().keywords(keywords).header(null).rootless(options.rootless()).build();
    List<InodeDelta> deltas = MtreeCompare.check(options.root(), spec, walker);
    return new Result(deltas, keywords);
  }

  /** The keyword set compared, following umoci's rules (see the class comment). */
  static List<String> compareKeywords(MtreeValidateOptions options, MtreeSpec spec) {
    List<String> keywords = new ArrayList<>();
    if (options.useKeywords() != null) {
      options.useKeywords().forEach(k -> keywords.add(Keywords.synonym(k)));
    } else if (options.umociKeywords()) {
      keywords.addAll(Keywords.UMOCI);
    } else {
      keywords.addAll(spec.usedKeywords());
    }
    for (String k : options.addKeywords()) {
      String name = Keywords.synonym(k);
      if (!keywords.contains(name)) {
        keywords.add(name);
      }
    }
    if (!keywords.contains("type")) {
      keywords.add(0, "type");
    }
    return keywords;
  }
}
