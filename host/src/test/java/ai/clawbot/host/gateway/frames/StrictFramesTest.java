package ai.clawbot.host.gateway.frames;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.HealthWatch;
import ai.clawbot.host.testkit.RawWs;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.WsProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RFC 6455 check in front of Helidon's frame decoder, over a raw socket against a real gateway: each rule
 * closes with its code and reason (never an HTTP response in the upgraded stream), a valid character split across fragments arrives intact, and a client on another connection keeps being served.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StrictFramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REPLY = Duration.ofSeconds(5);

    private static Path state;
    private static Gateway gateway;
    private static HealthWatch bystander;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-frames");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
        bystander = new HealthWatch(gateway.webSocketUri(), TestGateway.TOKEN, REPLY, Duration.ofMillis(50));
    }

    @AfterAll
    static void stop() throws Exception {
        bystander.close();
        gateway.close();
        TestGateway.deleteTree(state);
    }

    /** Whatever one connection did, the other client was answered after it and never failed. */
    @AfterEach
    void theOtherClientIsUnaffected() throws Exception {
        assertThat(bystander.awaitNextAnswer(REPLY)).as("the other client is answered").isTrue();
        assertThat(bystander.drainFailures()).as("the other client's failures").isEmpty();
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(strings = {"3", "4", "5", "6", "7", "B", "C", "D", "E", "F"})
    void aReservedOpcodeIsAProtocolError(String hex) throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(true, Integer.parseInt(hex, 16), "x".getBytes(StandardCharsets.UTF_8));
            assertClosed(raw, 1002, "reserved opcode 0x" + hex.toLowerCase());
        }
    }

    @Test
    void aReservedOpcodeBeforeConnectIsAProtocolErrorToo() throws Exception {
        try (RawWs raw = RawWs.open(gateway.port())) {
            raw.next(REPLY);
            raw.frame(true, 0x3, "x".getBytes(StandardCharsets.UTF_8));
            assertClosed(raw, 1002, "reserved opcode 0x3");
        }
    }

    @ParameterizedTest(name = "RSV bits 0x{0}")
    @ValueSource(strings = {"40", "20", "10", "70"})
    void rsvBitsWithoutAnExtensionAreAProtocolError(String rsv) throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(true, Integer.parseInt(rsv, 16) | RawWs.TEXT, health("r").getBytes(StandardCharsets.UTF_8));
            assertClosed(raw, 1002, "RSV bits set without a negotiated extension");
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {RawWs.PING, RawWs.PONG, RawWs.CLOSE})
    void aControlFrameOver125BytesIsAProtocolError(int opcode) throws Exception {
        try (RawWs raw = connected()) {
            byte[] payload = new byte[126];
            payload[0] = 0x03; // a close code 1000 if it were read as a close
            payload[1] = (byte) 0xE8;
            raw.frame(true, opcode, payload);
            assertClosed(raw, 1002, "control frame over 125 bytes");
        }
    }

    @Test
    void aControlFrameOfExactly125BytesIsAccepted() throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(true, RawWs.PING, new byte[125]);
            raw.text(health("after-ping").getBytes(StandardCharsets.UTF_8));
            assertThat(reply(raw).path("id").asText()).isEqualTo("after-ping");
        }
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {RawWs.PING, RawWs.PONG})
    void aFragmentedControlFrameIsAProtocolError(int opcode) throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(false, opcode, "a".getBytes(StandardCharsets.UTF_8));
            assertClosed(raw, 1002, "fragmented control frame");
        }
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError() throws Exception {
        try (RawWs raw = connected()) {
            byte[] text = health("u").getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[2 + text.length];
            frame[0] = (byte) (0x80 | RawWs.TEXT);
            frame[1] = (byte) text.length; // no mask bit
            System.arraycopy(text, 0, frame, 2, text.length);
            raw.write(frame);
            assertClosed(raw, 1002, "unmasked client frame");
        }
    }

    @ParameterizedTest(name = "{0} inside a fragmented text message")
    @ValueSource(ints = {RawWs.TEXT, RawWs.BINARY})
    void aDataFrameInsideAFragmentedMessageIsAProtocolErrorAndNothingRuns(int opcode) throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(false, RawWs.TEXT, "{\"type\":\"req\",".getBytes(StandardCharsets.UTF_8));
            raw.frame(true, opcode, "\"id\":\"z\",\"method\":\"health\"}".getBytes(StandardCharsets.UTF_8));
            assertClosed(raw, 1002, "new data frame inside a fragmented message");
            assertThat(raw.receivedAfterUpgrade()).as("the joined request never ran").doesNotContain("\"id\":\"z\"");
        }
    }

    @Test
    void aContinuationWithNothingOpenIsAProtocolError() throws Exception {
        try (RawWs raw = connected()) {
            raw.text(health("whole").getBytes(StandardCharsets.UTF_8));
            assertThat(reply(raw).path("id").asText()).isEqualTo("whole");
            raw.frame(true, RawWs.CONTINUATION, health("stray").getBytes(StandardCharsets.UTF_8));
            assertClosed(raw, 1002, "continuation frame with no message open");
        }
    }

    @Test
    void aCloseFrameWithOneBytePayloadIsAProtocolError() throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(true, RawWs.CLOSE, new byte[] {0x03});
            assertClosed(raw, 1002, "close frame with a 1-byte payload");
        }
    }

    @Test
    void invalidUtf8InOneFrameIsNotConsistentData() throws Exception {
        try (RawWs raw = connected()) {
            raw.text(withBytes("{\"type\":\"req\",\"id\":\"", new byte[] {(byte) 0xC3, 0x28}, "\",\"method\":\"health\"}"));
            assertClosed(raw, 1007, "invalid UTF-8");
        }
    }

    @Test
    void invalidUtf8OnceFragmentsAreJoinedIsNotConsistentData() throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(false, RawWs.TEXT, withBytes("{\"type\":\"req\",\"id\":\"", new byte[] {(byte) 0xC3}, ""));
            raw.frame(true, RawWs.CONTINUATION, withBytes("", new byte[] {0x28}, "\",\"method\":\"health\"}"));
            assertClosed(raw, 1007, "invalid UTF-8");
        }
    }

    @Test
    void aMessageEndingInsideACharacterIsNotConsistentData() throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(false, RawWs.TEXT, health("cut").getBytes(StandardCharsets.UTF_8));
            raw.frame(true, RawWs.CONTINUATION, new byte[] {(byte) 0xE2, (byte) 0x82});
            assertClosed(raw, 1007, "invalid UTF-8");
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8IsNotConsistentData() throws Exception {
        try (RawWs raw = connected()) {
            raw.frame(true, RawWs.CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF});
            assertClosed(raw, 1007, "invalid UTF-8");
        }
    }

    /** The RFC lets a sender cut a message anywhere; Helidon decodes fragments one by one, so the check re-cuts. */
    @Test
    void validCharactersSplitAcrossFragmentsArriveIntact() throws Exception {
        String skill = "\u00e9\u20ac\uD83D\uDE00"; // 2, 3 and 4 bytes in UTF-8
        try (RawWs raw = connected()) {
            byte[] all = request("s", "tools.invoke", JSON.createObjectNode().put("skill", skill).put("tool", "t"))
                    .getBytes(StandardCharsets.UTF_8);
            int first = indexOf(all, (byte) 0xC3) + 1; // inside é
            int euro = indexOf(all, (byte) 0xE2);
            int emoji = indexOf(all, (byte) 0xF0);
            raw.frame(false, RawWs.TEXT, Arrays.copyOfRange(all, 0, first));
            raw.frame(false, RawWs.CONTINUATION, Arrays.copyOfRange(all, first, euro + 1)); // cut inside €
            raw.frame(true, RawWs.PING, "mid-message".getBytes(StandardCharsets.UTF_8)); // control frames may interleave
            raw.frame(false, RawWs.CONTINUATION, Arrays.copyOfRange(all, euro + 1, emoji + 2)); // ...and inside 😀
            raw.frame(false, RawWs.CONTINUATION, Arrays.copyOfRange(all, emoji + 2, emoji + 3)); // a fragment of 1 byte
            raw.frame(true, RawWs.CONTINUATION, Arrays.copyOfRange(all, emoji + 3, all.length));
            JsonNode res = reply(raw);
            assertThat(res.path("id").asText()).isEqualTo("s");
            assertThat(res.at("/error/details/skill").asText()).isEqualTo(skill);
        }
    }

    /** Lengths of 126-65535 and over 65535 take the 2- and 8-byte length forms, which the check re-encodes. */
    @ParameterizedTest(name = "{0} bytes of padding")
    @ValueSource(ints = {100, 1_000, 70_000, 300_000})
    void framesOfEveryLengthFormPassThrough(int pad) throws Exception {
        try (RawWs raw = connected()) {
            ObjectNode params = JSON.createObjectNode().put("pad", "\u00e9".repeat(pad / 2));
            raw.text(request("p", "health", params).getBytes(StandardCharsets.UTF_8));
            JsonNode res = reply(raw);
            assertThat(res.path("id").asText()).isEqualTo("p");
            assertThat(res.path("ok").asBoolean()).as("%s", res).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static RawWs connected() throws Exception {
        RawWs raw = RawWs.open(gateway.port());
        assertThat(raw.next(REPLY)).contains("connect.challenge");
        ObjectNode params = JSON.createObjectNode().put("minProtocol", 4).put("maxProtocol", 4);
        params.putObject("client").put("id", "frames").put("version", "1").put("platform", "java").put("mode", "cli");
        params.putObject("auth").put("token", TestGateway.TOKEN);
        raw.text(request("c", "connect", params).getBytes(StandardCharsets.UTF_8));
        assertThat(raw.next(REPLY)).contains("hello-ok");
        return raw;
    }

    private static void assertClosed(RawWs raw, int code, String reason) throws Exception {
        WsProbe.Close close = raw.awaitClose(REPLY);
        String after = raw.receivedAfterUpgrade();
        assertThat(close).as("closed; bytes after upgrade: %s", after).isNotNull();
        assertThat(close.code()).as("close code; reason %s", close.reason()).isEqualTo(code);
        assertThat(close.reason()).isEqualTo(reason);
        assertThat(after).as("no HTTP response inside the WebSocket stream").doesNotContain("HTTP/1.1");
    }

    private static JsonNode reply(RawWs raw) throws Exception {
        String text = raw.next(REPLY);
        assertThat(text).as("a reply").isNotNull();
        JsonNode node = JSON.readTree(text);
        return node.path("type").asText().equals("event") ? reply(raw) : node; // a tick may come first
    }

    private static String health(String id) {
        return request(id, "health", JSON.createObjectNode());
    }

    private static String request(String id, String method, ObjectNode params) {
        ObjectNode f = JSON.createObjectNode().put("type", "req").put("id", id).put("method", method);
        f.set("params", params);
        return f.toString();
    }

    private static byte[] withBytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("byte " + b + " not found");
    }
}
