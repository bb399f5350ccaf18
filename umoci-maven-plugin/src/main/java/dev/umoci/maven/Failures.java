package dev.umoci.maven;

import dev.umoci.errors.UmociException;
import dev.umoci.registry.CredentialSourceException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one error mapping of every goal. A {@link UmociException} is a known failure kind whose
 * message is one line naming what is wrong: it fails the build ({@link MojoFailureException}), its
 * message prefixed with the POM element the user has to fix. Any other {@link IOException} is an
 * unexpected problem ({@link MojoExecutionException}, its cause).
 *
 * <p>Which element to name depends on the kind of failure: a goal says so with {@link #on}, for
 * example "a missing tag is the fault of {@code <baseImage>}", and gives a fallback element. A
 * failure of a credential source ({@link CredentialSourceException}, such as a {@code settings.xml}
 * password that cannot be decrypted) names what to fix itself and is given as it is.
 */
final class Failures {
  private final String goal;
  private final String fallbackSubject;
  private final Map<Class<? extends UmociException>, String> subjects = new LinkedHashMap<>();

  private Failures(String goal, String fallbackSubject) {
    this.goal = goal;
    this.fallbackSubject = fallbackSubject;
    subjects.put(CredentialSourceException.class, null);
  }

  /** Blames {@code subject} (for example {@code <layout>target/oci</layout>}) by default. */
  static Failures blaming(String goal, String subject) {
    return new Failures(goal, subject);
  }

  /** Blames {@code subject} for failures of {@code kind} (and its subclasses). */
  Failures on(Class<? extends UmociException> kind, String subject) {
    subjects.put(kind, subject);
    return this;
  }

  /** Throws the Maven exception {@code e} becomes; never returns normally. */
  void rethrow(IOException e) throws MojoFailureException, MojoExecutionException {
    if (e instanceof UmociException known) {
      String subject = subjectFor(known);
      // Not the cause: Maven appends to the failure line the message of every cause below it, or
      // its class name when it has none ("cannot resolve host name: ConnectException:
      // UnresolvedAddressException"), where the known failure's line already says it all. The
      // goal logs the whole chain at debug level (-X).
      MojoFailureException failure =
          new MojoFailureException(
              subject == null ? known.getMessage() : subject + ": " + known.getMessage());
      failure.addSuppressed(known);
      throw failure;
    }
    throw new MojoExecutionException("umoci:" + goal + " failed: " + e, e);
  }

  /** The element to blame for {@code e}, or null for none. */
  private String subjectFor(UmociException e) {
    for (Map.Entry<Class<? extends UmociException>, String> entry : subjects.entrySet()) {
      if (entry.getKey().isInstance(e)) {
        return entry.getValue();
      }
    }
    return fallbackSubject;
  }
}
