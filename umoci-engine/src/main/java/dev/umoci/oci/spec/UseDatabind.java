package dev.umoci.oci.spec;

/**
 * Thrown by a {@link SpecCodec} or {@link JsonTrees} when a document (or value) is not of the plain
 * shape the hand-written code handles; the caller then reads or writes it with databind, which
 * gives the result or the error message it always gave. Carries no stack trace: it is control flow,
 * not a failure.
 */
final class UseDatabind extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final UseDatabind INSTANCE = new UseDatabind();

  private UseDatabind() {
    super("not the plain shape", null, false, false);
  }
}
