package io.gale.demos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server {@link SSLContext} from PEM files, for the demos' {@code --certfile}/{@code --keyfile}
 * (Tornado's {@code ssl_options} names): the certificate chain (leaf first) and an unencrypted
 * PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}; convert others with
 * {@code openssl pkcs8 -topk8 -nocrypt}), RSA, EC or Ed25519. Errors name the file.
 */
public final class DemoTls {
    private DemoTls() {
    }

    /**
     * Loads the files.
     *
     * @param certfile PEM certificate chain
     * @param keyfile PEM PKCS#8 private key
     * @return a TLS context serving that identity
     * @throws IOException if a file cannot be read or holds no usable key or certificate
     */
    public static SSLContext serverContext(Path certfile, Path keyfile) throws IOException {
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certfile)))
                    .toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new IOException(certfile + ": no certificate");
            }
            PrivateKey key = privateKey(keyfile, chain[0].getPublicKey().getAlgorithm());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("server", key, none, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certfile + " / " + keyfile + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyfile, String algorithm) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyfile, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            throw new IOException(keyfile + ": no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
