package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.err;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.auth.ClientInfo;
import ai.clawbot.host.gateway.auth.DeviceVerifier;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ed25519 device identity in {@code connect}, end to end over a real gateway: a proof signed by the client for
 * this connection's challenge names the device in {@code hello-ok}; a proof for another challenge, or for other
 * scopes than those asked for, is refused with its {@code DEVICE_AUTH_*} code and a 1008 close.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeviceIdentityTest {

    private static final Duration CLOSE = Duration.ofSeconds(5);

    @TempDir
    static Path state;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        // Refused proofs count as failed auth: a high maxAttempts keeps the tests from locking each other out.
        gateway = ProtocolSuite.start(state, """
                {"gateway": {"auth": {"rateLimit": {"maxAttempts": 1000}}}}""", null);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static ProtocolClient open() throws Exception {
        return ProtocolClient.open(gateway.webSocketUri());
    }

    @Test
    void aValidEd25519DeviceProofIsAcceptedAndNamesTheDevice() throws Exception {
        Device device = new Device();
        try (ProtocolClient c = open()) {
            String nonce = c.awaitChallenge().path("payload").path("nonce").asText();
            JsonNode hello = ok(c.request("connect", device.connectParams(nonce, List.of("operator.read"), List.of("operator.read"))));
            assertThat(hello.path("auth").path("deviceId").asText()).isEqualTo(device.id);
            assertThat(strings(hello.path("auth").path("scopes"))).containsExactly("operator.read");
        }
    }

    @Test
    void aDeviceProofForAnotherChallengeIsRefused() throws Exception {
        Device device = new Device();
        ObjectNode firstProof;
        try (ProtocolClient a = open()) {
            String nonce = a.awaitChallenge().path("payload").path("nonce").asText();
            ObjectNode params = device.connectParams(nonce, List.of(), List.of());
            firstProof = params.get("device").deepCopy();
            ok(a.request("connect", params));
        }
        // Replayed as is on a new connection: its nonce is not this connection's.
        try (ProtocolClient b = open()) {
            String nonce = b.awaitChallenge().path("payload").path("nonce").asText();
            assertThat(nonce).isNotEqualTo(firstProof.path("nonce").asText());
            ObjectNode params = ProtocolClient.connectParams(TestGateway.TOKEN);
            params.set("device", firstProof);
            err(b.request("connect", params), "INVALID_REQUEST", DeviceVerifier.NONCE_MISMATCH);
            assertThat(b.awaitClose(CLOSE)).isEqualTo(1008);
        }
        // This connection's nonce in the proof, but the signature covers the old nonce.
        try (ProtocolClient b = open()) {
            String nonce = b.awaitChallenge().path("payload").path("nonce").asText();
            ObjectNode params = ProtocolClient.connectParams(TestGateway.TOKEN);
            ObjectNode forged = firstProof.deepCopy().put("nonce", nonce);
            params.set("device", forged);
            err(b.request("connect", params), "INVALID_REQUEST", DeviceVerifier.SIGNATURE_INVALID);
            assertThat(b.awaitClose(CLOSE)).isEqualTo(1008);
        }
    }

    @Test
    void aDeviceProofDoesNotCoverScopesItDidNotSign() throws Exception {
        Device device = new Device();
        try (ProtocolClient c = open()) {
            String nonce = c.awaitChallenge().path("payload").path("nonce").asText();
            // Signed for read only, sent asking for admin too.
            ObjectNode params = device.connectParams(nonce, List.of("operator.read"), List.of("operator.read", "operator.admin"));
            err(c.request("connect", params), "INVALID_REQUEST", DeviceVerifier.SIGNATURE_INVALID);
            assertThat(c.awaitClose(CLOSE)).isEqualTo(1008);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** A real Ed25519 device, encoded as OpenClaw clients encode it (see DeviceVerifierTest). */
    static final class Device {
        final KeyPair keys;
        final String publicKey;
        final String id;

        Device() throws Exception {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = keys.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            publicKey = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        }

        String sign(String payload) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(payload.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        }

        /** connect params with a v3 proof over {@code signedScopes}, asking for {@code sentScopes}. */
        ObjectNode connectParams(String nonce, List<String> signedScopes, List<String> sentScopes) throws Exception {
            ObjectNode params = ProtocolClient.connectParams(TestGateway.TOKEN);
            if (!sentScopes.isEmpty()) {
                sentScopes.forEach(params.putArray("scopes")::add);
            }
            long now = System.currentTimeMillis();
            String payload = DeviceVerifier.payloadV3(id, new ClientInfo("test", "cli", "java", null), "operator",
                    signedScopes, now, TestGateway.TOKEN, nonce);
            params.putObject("device").put("id", id).put("publicKey", publicKey).put("signature", sign(payload))
                    .put("signedAt", now).put("nonce", nonce);
            return params;
        }
    }
}
