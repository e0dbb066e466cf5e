package io.gale.httpclient;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The shared TLS contexts of the client: the JDK default, and one that trusts any certificate. */
final class TlsContexts {
    private TlsContexts() {
    }

    static SSLContext defaultContext() {
        return Holder.DEFAULT;
    }

    /** For {@code validateCert(false)}: accepts every certificate (host names are not checked either). */
    static SSLContext trustAll() {
        return Holder.TRUST_ALL;
    }

    private static final class Holder {
        static final SSLContext DEFAULT;
        static final SSLContext TRUST_ALL;

        static {
            try {
                DEFAULT = SSLContext.getDefault();
                TRUST_ALL = SSLContext.getInstance("TLS");
                TRUST_ALL.init(null, new TrustManager[] {new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }}, null);
            } catch (GeneralSecurityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
