package io.chirp.user.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import io.micronaut.context.annotation.Value;
import io.micronaut.security.token.jwt.endpoints.JwkProvider;
import io.micronaut.security.token.jwt.signature.rsa.RSASignatureGeneratorConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The RS256 key pair that signs access tokens. Its public half is served as a JWK Set at
 * {@code /.well-known/jwks.json}, so the gateway and the other services verify tokens
 * without a shared secret. The private key is a PKCS#8 PEM file
 * ({@code chirp.jwt.key-file}); when the file does not exist, a 2048-bit key is generated
 * and written there (mode 600), so the local cluster keeps one key across restarts.
 */
@Singleton
@Named("generator")
class JwtKeys implements RSASignatureGeneratorConfiguration, JwkProvider {

    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final RSAKey jwk;

    JwtKeys(@Value("${chirp.jwt.key-file:}") String keyFile) {
        Path file = keyFile.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "chirp", "jwt-rsa.pem")
                : Path.of(keyFile);
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            this.privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            this.publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            RSAKey withoutId = new RSAKey.Builder(publicKey).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
            this.jwk = new RSAKey.Builder(withoutId).keyID(withoutId.computeThumbprint().toString()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JWT key " + file, e);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("invalid JWT key " + file, e);
        }
    }

    private static void generate(Path file) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public RSAPrivateKey getPrivateKey() {
        return privateKey;
    }

    @Override
    public RSAPublicKey getPublicKey() {
        return publicKey;
    }

    @Override
    public JWSAlgorithm getJwsAlgorithm() {
        return JWSAlgorithm.RS256;
    }

    @Override
    public List<JWK> retrieveJsonWebKeys() {
        return List.of(jwk);
    }
}
