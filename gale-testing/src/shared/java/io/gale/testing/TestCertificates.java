package io.gale.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority for tests, created at run time (no keys are checked in):
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.create(TestCertificates.KeyType.EC);
 * TestCertificates.Identity server = ca.issue("localhost", "localhost", "127.0.0.1");
 * SSLContext serverContext = server.sslContext();   // presents the server certificate, trusts the CA
 * SSLContext clientContext = ca.trustingContext();  // trusts the CA only
 * }</pre>
 *
 * <p>Certificates are X.509 v3, built with a minimal DER encoder and signed with
 * {@link Signature}: SHA-256 with ECDSA (P-256) or RSA (2048). The CA has basicConstraints
 * CA=true and keyCertSign; issued certificates carry subjectAltName (DNS names and IP
 * addresses), valid from a day ago for a year. Thread-safe (immutable).
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Key algorithm of the CA and of the certificates it issues. */
    public enum KeyType {
        /** Elliptic-curve keys; certificates signed with ECDSA and SHA-256. */
        EC("SHA256withECDSA", new int[] {1, 2, 840, 10045, 4, 3, 2}, false),
        /** RSA keys; certificates signed with SHA-256 and RSA. */
        RSA("SHA256withRSA", new int[] {1, 2, 840, 113549, 1, 1, 11}, true);

        final String signature;
        final int[] signatureOid;
        final boolean nullParams;

        KeyType(String signature, int[] oid, boolean nullParams) {
            this.signature = signature;
            this.signatureOid = oid;
            this.nullParams = nullParams;
        }

        KeyPair generate() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance(name());
            if (this == EC) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        }
    }

    private final KeyType type;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final byte[] name;

    private TestCertificates(KeyType type, KeyPair keys, X509Certificate certificate, byte[] name) {
        this.type = type;
        this.keys = keys;
        this.certificate = certificate;
        this.name = name;
    }

    /**
     * A new self-signed CA named "Gale Test CA" with EC keys.
     *
     * @return a new self-signed CA named "Gale Test CA" with EC keys
     */
    public static TestCertificates create() {
        return create(KeyType.EC);
    }

    /**
     * A new self-signed CA named "Gale Test CA".
     *
     * @param type the type
     * @return a new self-signed CA named "Gale Test CA"
     */
    public static TestCertificates create(KeyType type) {
        try {
            KeyPair keys = type.generate();
            byte[] name = name("Gale Test CA");
            byte[] ski = keyId(keys);
            byte[] ext = Der.seq(
                    extension(new int[] {2, 5, 29, 19}, true, Der.seq(Der.bool(true))),
                    extension(new int[] {2, 5, 29, 15}, true, Der.bitString(new byte[] {0x06}, 1)),
                    extension(new int[] {2, 5, 29, 14}, false, Der.octets(ski)));
            X509Certificate cert = sign(type, keys, name, name, keys, ext);
            return new TestCertificates(type, keys, cert, name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create test CA", e);
        }
    }

    /**
     * Issues a certificate for {@code commonName} with the given subject alternative names
     * (IP literals become iPAddress entries, anything else dNSName entries).
     *
     * @param commonName the common name
     * @param subjectAltNames the subject alt names
     * @return the identity
     */
    public Identity issue(String commonName, String... subjectAltNames) {
        try {
            KeyPair subjectKeys = type.generate();
            byte[][] names = new byte[subjectAltNames.length][];
            for (int i = 0; i < names.length; i++) {
                String san = subjectAltNames[i];
                names[i] = isIp(san)
                        ? Der.tlv(0x87, InetAddress.getByName(san).getAddress())
                        : Der.tlv(0x82, san.getBytes(StandardCharsets.US_ASCII));
            }
            byte[] ext = Der.seq(
                    extension(new int[] {2, 5, 29, 19}, true, Der.seq()),
                    extension(new int[] {2, 5, 29, 17}, false, Der.seq(names)),
                    extension(new int[] {2, 5, 29, 14}, false, Der.octets(keyId(subjectKeys))),
                    extension(new int[] {2, 5, 29, 35}, false, Der.seq(Der.tlv(0x80, keyId(keys)))));
            X509Certificate cert = sign(type, keys, name, name(commonName), subjectKeys, ext);
            return new Identity(subjectKeys.getPrivate(), new X509Certificate[] {cert, certificate}, this);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue test certificate", e);
        }
    }

    /**
     * The CA certificate.
     *
     * @return the CA certificate
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A TLS context that trusts this CA and presents no certificate (a plain client).
     *
     * @return a TLS context that trusts this CA and presents no certificate (a plain client)
     */
    public SSLContext trustingContext() {
        return context(null);
    }

    /**
     * Writes the CA certificate as PEM (for openssl {@code -CAfile}).
     *
     * @param file the file
     * @return the path
     * @throws IOException if an I/O error occurs
     */
    public Path writeCertificatePem(Path file) throws IOException {
        return Files.writeString(file, pem("CERTIFICATE", encoded(certificate)));
    }

    SSLContext context(Identity identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (identity != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("key", identity.privateKey(), PASSWORD, identity.chain());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build SSLContext", e);
        }
    }

    /**
     * A private key with its certificate chain (leaf first, then the CA).
     *
     * @param privateKey the private key
     * @param chain the chain
     * @param issuer the issuer
     */
    public record Identity(PrivateKey privateKey, X509Certificate[] chain, TestCertificates issuer) {
        /**
         * A TLS context presenting this identity and trusting its CA (for servers and client-auth clients).
         *
         * @return a TLS context presenting this identity and trusting its CA (for servers and client-auth clients)
         */
        public SSLContext sslContext() {
            return issuer.context(this);
        }

        /**
         * Writes the leaf certificate and the PKCS#8 private key as PEM (for openssl).
         *
         * @param certFile the cert file
         * @param keyFile the key file
         * @throws IOException if an I/O error occurs
         */
        public void writePem(Path certFile, Path keyFile) throws IOException {
            Files.writeString(certFile, pem("CERTIFICATE", encoded(chain[0])));
            Files.writeString(keyFile, pem("PRIVATE KEY", privateKey.getEncoded()));
        }
    }

    // ----------------------------------------------------------------------- X.509 v3

    private static X509Certificate sign(KeyType type, KeyPair issuerKeys, byte[] issuer, byte[] subject,
            KeyPair subjectKeys, byte[] extensions) throws GeneralSecurityException {
        byte[] algorithm = type.nullParams
                ? Der.seq(Der.oid(type.signatureOid), Der.tlv(0x05, new byte[0]))
                : Der.seq(Der.oid(type.signatureOid));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] tbs = Der.seq(
                Der.tlv(0xa0, Der.integer(BigInteger.TWO)),
                Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                algorithm,
                issuer,
                Der.seq(Der.utcTime(now.minusDays(1)), Der.utcTime(now.plusYears(1))),
                subject,
                subjectKeys.getPublic().getEncoded(), // already a SubjectPublicKeyInfo
                Der.tlv(0xa3, extensions));
        Signature s = Signature.getInstance(type.signature);
        s.initSign(issuerKeys.getPrivate());
        s.update(tbs);
        byte[] der = Der.seq(tbs, algorithm, Der.bitString(s.sign(), 0));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    private static byte[] name(String commonName) {
        return Der.seq(Der.set(Der.seq(Der.oid(new int[] {2, 5, 4, 3}),
                Der.tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] extension(int[] oid, boolean critical, byte[] value) {
        return critical
                ? Der.seq(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.seq(Der.oid(oid), Der.octets(value));
    }

    private static byte[] keyId(KeyPair keys) throws GeneralSecurityException {
        return Arrays.copyOf(MessageDigest.getInstance("SHA-1").digest(keys.getPublic().getEncoded()), 20);
    }

    private static boolean isIp(String s) {
        return s.indexOf(':') >= 0 || s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Just enough DER: definite lengths, the handful of types a certificate needs. */
    static final class Der {
        private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

        static byte[] tlv(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int len = content.length;
            if (len < 0x80) {
                out.write(len);
            } else {
                int bytes = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(len >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        static byte[] seq(byte[]... parts) {
            return tlv(0x30, concat(parts));
        }

        static byte[] seq(List<byte[]> parts) {
            return seq(parts.toArray(byte[][]::new));
        }

        static byte[] set(byte[]... parts) {
            return tlv(0x31, concat(parts));
        }

        static byte[] integer(BigInteger v) {
            return tlv(0x02, v.toByteArray()); // two's complement, minimal: what DER wants
        }

        static byte[] bool(boolean v) {
            return tlv(0x01, new byte[] {(byte) (v ? 0xff : 0)});
        }

        static byte[] octets(byte[] v) {
            return tlv(0x04, v);
        }

        static byte[] bitString(byte[] bits, int unusedBits) {
            byte[] c = new byte[bits.length + 1];
            c[0] = (byte) unusedBits;
            System.arraycopy(bits, 0, c, 1, bits.length);
            return tlv(0x03, c);
        }

        static byte[] oid(int[] arcs) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(arcs[0] * 40 + arcs[1]);
            for (int i = 2; i < arcs.length; i++) {
                int v = arcs[i];
                int groups = Math.max(1, (32 - Integer.numberOfLeadingZeros(v) + 6) / 7);
                for (int g = groups - 1; g >= 0; g--) {
                    int b = (v >>> (7 * g)) & 0x7f;
                    out.write(g == 0 ? b : b | 0x80);
                }
            }
            return tlv(0x06, out.toByteArray());
        }

        static byte[] utcTime(ZonedDateTime t) {
            return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }
    }
}
