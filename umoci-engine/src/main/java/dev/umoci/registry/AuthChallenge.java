package dev.umoci.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235): a scheme ({@code basic}, {@code bearer}, lower
 * case) and its parameters ({@code realm}, {@code service}, {@code scope}, {@code error}).
 */
record AuthChallenge(String scheme, Map<String, String> params) {

  String param(String name) {
    return params.get(name);
  }

  /** Parses every challenge in the header values; malformed parts are skipped. */
  static List<AuthChallenge> parse(List<String> headerValues) {
    List<AuthChallenge> out = new ArrayList<>();
    for (String value : headerValues) {
      parseOne(value, out);
    }
    return out;
  }

  private static void parseOne(String s, List<AuthChallenge> out) {
    int i = 0;
    int n = s.length();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (i < n) {
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
        i++;
      }
      int start = i;
      while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '=' && s.charAt(i) != ',') {
        i++;
      }
      if (start == i) {
        break;
      }
      String token = s.substring(start, i);
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (i < n && s.charAt(i) == '=') {
        i++;
        while (i < n && s.charAt(i) == ' ') {
          i++;
        }
        StringBuilder value = new StringBuilder();
        if (i < n && s.charAt(i) == '"') {
          i++;
          while (i < n && s.charAt(i) != '"') {
            if (s.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            value.append(s.charAt(i++));
          }
          i++;
        } else {
          while (i < n && s.charAt(i) != ',') {
            value.append(s.charAt(i++));
          }
        }
        params.put(token.toLowerCase(Locale.ROOT), value.toString().trim());
      } else {
        // a new scheme starts
        if (scheme != null) {
          out.add(new AuthChallenge(scheme, Map.copyOf(params)));
          params.clear();
        }
        scheme = token.toLowerCase(Locale.ROOT);
      }
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, Map.copyOf(params)));
    }
  }
}
