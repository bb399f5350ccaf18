package dev.umoci.registry;

/**
 * How containers-image matches a {@code registries.conf} {@code prefix} against an image name and
 * which of several matching prefixes applies (its {@code sysregistriesv2} rules, re-implemented).
 *
 * <p>A prefix is {@code host[:port][/path]} or a wildcard {@code *.domain}. The name of an image is
 * {@code host[:port]/repository} ({@code docker.io/library/x}). A plain prefix matches a name that
 * is it or starts with it and a {@code /}. A wildcard matches a name whose host is a subdomain of
 * {@code domain} at any depth ({@code a.domain}, {@code b.a.domain}, with any port; not {@code
 * domain} itself). Of several matches, the longest prefix text applies, the {@code *.} counted: so
 * {@code a.example.com/x} beats {@code *.example.com}, {@code *.b.example.com} beats {@code
 * *.example.com}; at equal length the prefix that sorts first wins ({@code *.example.com} over
 * {@code a.example.com}), as containers-image keeps its tables sorted and takes the first longest.
 */
final class RegistryPrefix {
  private RegistryPrefix() {}

  /** Whether {@code prefix} is a wildcard ({@code *.domain}). */
  static boolean isWildcard(String prefix) {
    return prefix.startsWith("*.");
  }

  /**
   * How many characters of {@code name} {@code prefix} matches (what follows is the rest of the
   * name below it: {@code ""}, {@code /path}, or for a wildcard possibly {@code :port/path}), or -1
   * when it does not match.
   */
  static int match(String name, String prefix) {
    if (isWildcard(prefix)) {
      String domain = prefix.substring(1);
      int slash = name.indexOf('/');
      int hostEnd = slash < 0 ? name.length() : slash;
      int colon = name.lastIndexOf(':', hostEnd - 1);
      if (colon >= 0) {
        hostEnd = colon;
      }
      String host = name.substring(0, hostEnd);
      return host.length() > domain.length() && host.endsWith(domain) ? hostEnd : -1;
    }
    return Mirrors.isPathPrefix(name, prefix) ? prefix.length() : -1;
  }

  /** Whether matching {@code candidate} takes precedence over matching {@code best} (or null). */
  static boolean beats(String candidate, String best) {
    return best == null
        || candidate.length() > best.length()
        || (candidate.length() == best.length() && candidate.compareTo(best) < 0);
  }
}
