package dev.umoci.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TaskFailuresTest {
  static ExecutionException failed(Throwable cause) {
    return new ExecutionException(cause);
  }

  @Test
  void anIoExceptionIsReturnedAsTheTaskThrewIt() {
    IOException io = new DigestMismatchException("blob sha256:ab: wrong bytes");
    assertSame(io, TaskFailures.cause(failed(io), "pulling"));
  }

  @Test
  void anUncheckedIoExceptionIsUnwrapped() {
    IOException io = new IOException("disk full");
    assertSame(io, TaskFailures.cause(failed(new UncheckedIOException(io)), "hashing"));
  }

  @Test
  void runtimeExceptionsAndErrorsAreThrownAsTheyAre() {
    IllegalStateException runtime = new IllegalStateException("bad state");
    assertSame(
        runtime,
        assertThrows(IllegalStateException.class, () -> TaskFailures.cause(failed(runtime), "x")));
    OutOfMemoryError error = new OutOfMemoryError("heap");
    assertSame(
        error, assertThrows(OutOfMemoryError.class, () -> TaskFailures.cause(failed(error), "x")));
  }

  @Test
  void anyOtherCauseIsWrappedNamingTheWork() {
    Exception checked = new Exception("odd");
    IOException io = TaskFailures.cause(failed(checked), "loading the image");
    assertEquals("loading the image: java.lang.Exception: odd", io.getMessage());
    assertSame(checked, io.getCause());
  }
}
