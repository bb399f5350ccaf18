package dev.umoci.registry;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.StringConcatException;
import java.lang.invoke.StringConcatFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds, on a warm-up thread, the string concatenations that the JDK's HTTP client links on a
 * command's first request. The client's own code ({@code jdk.internal.net.http}) concatenates
 * through {@code invokedynamic}, and on Java 17-23 the first call site of each argument-type shape
 * builds that shape's method-handle tree and spins its lambda-form classes, which the class-data
 * archive does not hold: 19 ms of CPU on a pull's critical path (the client's constructor, the
 * {@code host:port} of its first request's {@code Host} header, its connection's debug tags), on
 * the threads that make the first exchange. A shape once built is cached for the whole JVM, so the
 * client's call sites then link in a fraction of that (measured: docs/performance.md, registry,
 * eighth round).
 *
 * <p>The shapes are those of Java 17's client ({@code javap} of {@code HttpClientImpl}, {@code
 * Http1Request}, {@code HttpConnection}, {@code SocketTube}, {@code HttpRequestImpl}); on a JDK
 * whose client concatenates otherwise this costs the warm-up thread a few milliseconds for nothing.
 * Java 24 and newer are left alone: the launcher starts them with an AOT cache that holds linked
 * call sites, and there this work cost 35 ms of CPU and slowed a pull down.
 */
public final class HttpClientWarmUp {
  private HttpClientWarmUp() {}

  /**
   * Builds the shapes (on Java 17-23) and returns how many it built: 0 on Java 24 and newer. A
   * failure is dropped (the client's own first use builds the same shapes and meets it).
   */
  public static int run() {
    if (Runtime.version().feature() >= 24) {
      return 0;
    }
    List<String> built = new ArrayList<>();
    try {
      concatenate(built);
    } catch (Throwable e) {
      // dropped, see above
    }
    return built.size();
  }

  /** Builds and calls each shape once, adding what it made to {@code made}. */
  static void concatenate(List<String> made) throws Throwable {
    // HttpClientImpl's constructor and SocketTube's debug tag: a constant and a number
    made.add((String) link("HttpClient-\u0001", long.class).invokeExact(1L));
    // Http1Request.hostString: the host and port of a registry on a non-default port
    made.add((String) link("\u0001:\u0001", String.class, int.class).invokeExact("h", 5000));
    // HttpConnection.dbgString: two strings
    made.add((String) link("\u0001(\u0001)", String.class, String.class).invokeExact("a", "b"));
    // HttpRequestImpl's user agent and HttpConnection's tags: one string
    made.add((String) link("Java-http-client/\u0001", String.class).invokeExact("17"));
    // HttpClientImpl.toString: a string and a number
    made.add((String) link("\u0001(\u0001)", String.class, long.class).invokeExact("c", 2L));
  }

  private static MethodHandle link(String recipe, Class<?>... arguments)
      throws StringConcatException {
    return StringConcatFactory.makeConcatWithConstants(
            MethodHandles.lookup(),
            "concat",
            MethodType.methodType(String.class, arguments),
            recipe)
        .getTarget();
  }
}
