package dev.umoci.mtree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Keyword names: umoci's and go-mtree's default sets, synonyms, prefixes, list parsing. */
public final class Keywords {
  private Keywords() {}

  /**
   * The keywords umoci records for a bundle and compares on repack ({@code MtreeKeywords}), in this
   * order.
   */
  public static final List<String> UMOCI =
      List.of(
          "size",
          "type",
          "uid",
          "gid",
          "mode",
          "link",
          "nlink",
          "tar_time",
          "sha256digest",
          "xattr");

  /** go-mtree's {@code DefaultKeywords} (what {@code gomtree -c} uses). */
  public static final List<String> GO_MTREE_DEFAULT =
      List.of("size", "type", "uid", "gid", "mode", "link", "nlink", "time");

  /** Every keyword the walker can compute, including synonyms. */
  public static final List<String> SUPPORTED =
      List.of(
          "size",
          "type",
          "time",
          "tar_time",
          "link",
          "uid",
          "gid",
          "uname",
          "gname",
          "nlink",
          "mode",
          "cksum",
          "md5",
          "md5digest",
          "sha1",
          "sha1digest",
          "sha256",
          "sha256digest",
          "sha384",
          "sha384digest",
          "sha512",
          "sha512digest",
          "sha512256",
          "sha512256digest",
          "flags",
          "xattr",
          "xattrs");

  /** go-mtree's {@code KeywordSynonym}: the canonical name of a keyword. */
  public static String synonym(String name) {
    return switch (name) {
      case "md5" -> "md5digest";
      case "rmd160", "rmd160digest" -> "ripemd160digest";
      case "sha1" -> "sha1digest";
      case "sha256" -> "sha256digest";
      case "sha384" -> "sha384digest";
      case "sha512" -> "sha512digest";
      case "sha512256" -> "sha512256digest";
      case "xattrs" -> "xattr";
      default -> name;
    };
  }

  /** The part of a keyword before its first dot. */
  public static String prefix(String keyword) {
    int dot = keyword.indexOf('.');
    return dot < 0 ? keyword : keyword.substring(0, dot);
  }

  /**
   * Parses a keyword list as umoci's {@code -k}/{@code -K} flags do: names separated by commas or
   * spaces, each replaced by its synonym.
   */
  public static List<String> parseList(String arg) {
    List<String> out = new ArrayList<>();
    for (String name : arg.split("[, ]+")) {
      if (!name.isEmpty()) {
        out.add(synonym(name));
      }
    }
    return out;
  }

  /**
   * True when a key delta for {@code keyword} counts under the compared set {@code keys}: its
   * prefix is in the set, {@code time} and {@code tar_time} standing in for each other.
   */
  static boolean selected(String keyword, Collection<String> keys) {
    String prefix = prefix(keyword);
    return keys.contains(prefix)
        || (prefix.equals("time") && keys.contains("tar_time"))
        || (prefix.equals("tar_time") && keys.contains("time"));
  }
}
