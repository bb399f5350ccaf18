package dev.umoci.testing;

import dev.umoci.sys.TreeRemover;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestRegistry} for all tests of a class, registered as {@code @RegisterExtension static
 * final RegistryExtension registry = RegistryExtension.plain();}. Before all tests (and before the
 * class's own {@code @BeforeAll} methods) it starts the registry in a temporary directory of its
 * own; after all tests it stops the registry and removes the directory. A class nested in the one
 * that registered it shares the same registry.
 */
public final class RegistryExtension implements BeforeAllCallback, AfterAllCallback {
  /** Starts one kind of {@link TestRegistry} in a directory. */
  @FunctionalInterface
  private interface Starter {
    TestRegistry start(Path dir) throws Exception;
  }

  private final Starter starter;
  private String owner;
  private Path dir;
  private TestRegistry registry;

  private RegistryExtension(Starter starter) {
    this.starter = starter;
  }

  /** {@link TestRegistry#plain}: plain HTTP without authentication. */
  public static RegistryExtension plain() {
    return new RegistryExtension(TestRegistry::plain);
  }

  /** {@link TestRegistry#mutualTls}: TLS that requires client certificates. */
  public static RegistryExtension mutualTls() {
    return new RegistryExtension(TestRegistry::mutualTls);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return; // a nested class: the registry of the enclosing one is running
    }
    owner = context.getUniqueId();
    dir = Files.createTempDirectory("umoci-test-registry");
    start();
  }

  /**
   * Starts the registry again in its directory (so with the images it stored) after {@link #stop};
   * it gets a new port.
   */
  public void start() throws Exception {
    registry = starter.start(dir);
  }

  /** Stops the registry; {@link #host()} still names where it was. */
  public void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (owner == null || !owner.equals(context.getUniqueId())) {
      return;
    }
    try {
      stop();
    } finally {
      owner = null;
      registry = null;
      if (dir != null) {
        TreeRemover.direct().remove(dir);
        dir = null;
      }
    }
  }

  /** The registry itself, for what {@link #host()} does not cover. */
  public TestRegistry get() {
    if (registry == null) {
      throw new IllegalStateException(
          "no registry: register the RegistryExtension on a static field with @RegisterExtension");
    }
    return registry;
  }

  /** {@code 127.0.0.1:<port>} of the registry. */
  public String host() {
    return get().host();
  }
}
