package dev.umoci.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS context made on first use: the JDK's HTTP client wants one when it is built, and making one
 * (the JSSE provider's cipher-suite tables, the context's defaults) costs 0.08 s of CPU at every
 * start, which a registry reached on plain HTTP never needs. Every operation is handed to the
 * context {@code make} returns, made once. Give the HTTP client explicit {@link SSLParameters}
 * along with it: the client otherwise asks for the default parameters when it is built. {@link
 * #getProvider()} is null (looking the provider up is part of the cost put off); the JDK's HTTP
 * client does not ask for it. A failure to make the context surfaces as an {@link
 * java.io.UncheckedIOException} from the operation that needed it.
 */
final class LazySslContext extends SSLContext {
  /** Makes the real context. */
  @FunctionalInterface
  interface Maker {
    SSLContext make() throws IOException;
  }

  LazySslContext(Maker make) {
    super(new Spi(make), null, "TLS");
  }

  private static final class Spi extends SSLContextSpi {
    private final Maker make;
    private SSLContext real;

    Spi(Maker make) {
      this.make = make;
    }

    private synchronized SSLContext real() {
      if (real == null) {
        try {
          real = make.make();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return real;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("a lazily made TLS context is initialised by its maker");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real().getSupportedSSLParameters();
    }
  }
}
