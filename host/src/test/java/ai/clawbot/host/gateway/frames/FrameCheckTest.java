package ai.clawbot.host.gateway.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsCloseException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Helidon's decoder receives from the check: accepted frames re-encoded, a bad frame only as a refusal. */
class FrameCheckTest {

    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    @Test
    void framesBeforeABadOneAreHandedOverWholeAndTheBadOneIsNot() {
        byte[] good = "{\"id\":\"before\"}".getBytes(StandardCharsets.UTF_8);
        FrameCheck check = checkOver(concat(clientFrame(0x81, good), clientFrame(0x83, new byte[] {1}),
                clientFrame(0x81, good)));
        assertThat(check.get()).isEqualTo(serverSideOf(0x81, good));
        assertThatThrownBy(check::get).isInstanceOfSatisfying(WsCloseException.class, e -> {
            assertThat(e.closeCode()).isEqualTo(1002);
            assertThat(e.getMessage()).isEqualTo("reserved opcode 0x3");
        });
    }

    @Test
    void aCharacterCutByAFragmentMovesWholeIntoTheNextOne() {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        FrameCheck check = checkOver(concat(clientFrame(0x01, new byte[] {'a', euro[0]}),
                clientFrame(0x89, new byte[] {'p'}),
                clientFrame(0x00, new byte[] {euro[1]}),
                clientFrame(0x80, new byte[] {euro[2], 'b'})));
        assertThat(check.get()).isEqualTo(serverSideOf(0x01, new byte[] {'a'}));
        assertThat(check.get()).isEqualTo(serverSideOf(0x89, new byte[] {'p'}));
        assertThat(check.get()).isEqualTo(serverSideOf(0x00, new byte[0]));
        assertThat(check.get()).isEqualTo(serverSideOf(0x80, new byte[] {euro[0], euro[1], euro[2], 'b'}));
    }

    @Test
    void binaryFragmentsAreNotReadAsText() {
        byte[] notUtf8 = {(byte) 0xC3, 0x28, (byte) 0xFF};
        FrameCheck check = checkOver(concat(clientFrame(0x02, notUtf8), clientFrame(0x80, notUtf8)));
        assertThat(check.get()).isEqualTo(serverSideOf(0x02, notUtf8));
        assertThat(check.get()).isEqualTo(serverSideOf(0x80, notUtf8));
    }

    @Test
    void everyLengthFormIsReEncodedWithTheShortestForm() {
        for (int n : List.of(0, 125, 126, 65_535, 65_536, 200_000)) {
            byte[] payload = new byte[n];
            Arrays.fill(payload, (byte) 'x');
            assertThat(checkOver(clientFrame(0x82, payload)).get()).as("%d bytes", n).isEqualTo(serverSideOf(0x82, payload));
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeItsPayloadIsRead() {
        // Only the header is supplied: the check must refuse from the length alone, not wait for 2 MiB.
        byte[] header = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x20, 0, 0};
        assertThatThrownBy(() -> FrameCheck.create(readerOver(header), 1 << 20).get())
                .isInstanceOfSatisfying(WsCloseException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
    }

    @Test
    void aLengthWithTheTopBitSetIsAProtocolError() {
        byte[] header = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 1};
        assertThatThrownBy(() -> FrameCheck.create(readerOver(header), 1 << 20).get())
                .isInstanceOfSatisfying(WsCloseException.class, e -> assertThat(e.closeCode()).isEqualTo(1002));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static FrameCheck checkOver(byte[] bytes) {
        return FrameCheck.create(readerOver(bytes), 1 << 20);
    }

    /** A reader that hands the bytes over in chunks of 7, so frames straddle reads as they do on a socket. */
    private static DataReader readerOver(byte[] bytes) {
        Deque<byte[]> chunks = new ArrayDeque<>();
        for (int i = 0; i < bytes.length; i += 7) {
            chunks.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7)));
        }
        return new DataReader(chunks::poll);
    }

    private static byte[] clientFrame(int b0, byte[] payload) {
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= MASK[i & 3];
        }
        return concat(header(b0, payload.length), MASK, masked);
    }

    private static byte[] serverSideOf(int b0, byte[] payload) {
        return concat(header(b0, payload.length), new byte[4], payload);
    }

    private static byte[] header(int b0, int n) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(b0);
        if (n < 126) {
            h.write(0x80 | n);
        } else if (n < 65_536) {
            h.write(0x80 | 126);
            h.write(n >>> 8);
            h.write(n & 0xFF);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) ((long) n >>> shift) & 0xFF);
            }
        }
        return h.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
