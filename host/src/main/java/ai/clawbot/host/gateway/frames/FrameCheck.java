package ai.clawbot.host.gateway.frames;

import io.helidon.common.buffers.DataReader;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsCloseException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Reads client frames off the socket one at a time, refuses what RFC 6455 forbids, and hands Helidon's decoder
 * each accepted frame re-encoded (all-zero mask, payload in clear, text fragments cut on character boundaries).
 *
 * <p>A refusal is a {@link WsCloseException}: Helidon's reader answers it with a close frame carrying the code
 * (1002 protocol error, 1007 invalid UTF-8, 1009 too big) and drops the connection. Frames are checked only when
 * Helidon asks for more bytes, so every frame before a bad one has been delivered, and nothing of the bad one is.
 *
 * <p>A valid character split across text fragments is moved whole into the next fragment, because Helidon
 * decodes each fragment to a String on its own.
 */
final class FrameCheck implements Supplier<byte[]> {

    private static final byte[] NONE = new byte[0];
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private enum Open { NOTHING, TEXT, BINARY }

    private final DataReader socket;
    private final int maxFrameLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer discard = CharBuffer.allocate(4096);
    private Open open = Open.NOTHING;
    private byte[] carry = NONE; // the first bytes of a character the last text fragment cut

    private FrameCheck(DataReader socket, int maxFrameLength) {
        this.socket = socket;
        this.maxFrameLength = maxFrameLength;
    }

    static FrameCheck create(DataReader socket, int maxFrameLength) {
        return new FrameCheck(socket, maxFrameLength);
    }

    @Override
    public byte[] get() {
        int b0 = socket.read() & 0xFF;
        int b1 = socket.read() & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw protocolError("RSV bits set without a negotiated extension");
        }
        if (opcode > BINARY && opcode < CLOSE || opcode > PONG) {
            throw protocolError("reserved opcode 0x" + Integer.toHexString(opcode));
        }
        if ((b1 & 0x80) == 0) {
            throw protocolError("unmasked client frame");
        }
        boolean control = opcode >= CLOSE;
        long length = b1 & 0x7F;
        if (control) {
            if (!fin) {
                throw protocolError("fragmented control frame");
            }
            if (length > MAX_CONTROL_PAYLOAD) {
                throw protocolError("control frame over 125 bytes");
            }
            if (opcode == CLOSE && length == 1) {
                throw protocolError("close frame with a 1-byte payload");
            }
        } else if (opcode == CONTINUATION && open == Open.NOTHING) {
            throw protocolError("continuation frame with no message open");
        } else if (opcode != CONTINUATION && open != Open.NOTHING) {
            throw protocolError("new data frame inside a fragmented message");
        }
        if (length == 126) {
            length = readUnsigned(2);
        } else if (length == 127) {
            length = readUnsigned(8);
            if (length < 0) {
                throw protocolError("payload length with the most significant bit set");
            }
        }
        if (length > maxFrameLength) {
            throw new WsCloseException("frame over " + maxFrameLength + " bytes", WsCloseCodes.TOO_BIG);
        }
        byte[] mask = socket.readBytes(4);
        byte[] payload = length == 0 ? NONE : socket.readBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        if (opcode == CLOSE && payload.length > 2) {
            checkUtf8(ByteBuffer.wrap(payload, 2, payload.length - 2), true);
        } else if (!control) {
            Open type = switch (opcode) {
                case TEXT -> Open.TEXT;
                case BINARY -> Open.BINARY;
                default -> open;
            };
            if (type == Open.TEXT) {
                payload = wholeCharacters(payload, fin);
            }
            open = fin ? Open.NOTHING : type;
        }
        return encode(b0, payload);
    }

    /** The carried bytes and this fragment, less a character cut at its end (carried to the next fragment). */
    private byte[] wholeCharacters(byte[] fragment, boolean last) {
        byte[] bytes = fragment;
        if (carry.length > 0) {
            bytes = new byte[carry.length + fragment.length];
            System.arraycopy(carry, 0, bytes, 0, carry.length);
            System.arraycopy(fragment, 0, bytes, carry.length, fragment.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        checkUtf8(in, last);
        if (!in.hasRemaining()) {
            carry = NONE;
            return bytes;
        }
        carry = Arrays.copyOfRange(bytes, in.position(), bytes.length);
        return Arrays.copyOf(bytes, in.position());
    }

    /**
     * Decodes {@code in} strictly; when {@code end} is false an incomplete character at the end is left in
     * {@code in} (its position stops before it).
     */
    private void checkUtf8(ByteBuffer in, boolean end) {
        utf8.reset();
        CoderResult r;
        do {
            discard.clear();
            r = utf8.decode(in, discard, end);
        } while (r.isOverflow());
        if (r.isError()) {
            throw new WsCloseException("invalid UTF-8", WsCloseCodes.NOT_CONSISTENT);
        }
    }

    private long readUnsigned(int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | socket.read() & 0xFF;
        }
        return value;
    }

    /** The frame as Helidon's decoder reads it: same FIN and opcode, masked with an all-zero key. */
    private static byte[] encode(int b0, byte[] payload) {
        int n = payload.length;
        int lengthBytes = n < 126 ? 0 : n < 1 << 16 ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + n];
        frame[0] = (byte) b0;
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | n);
        } else {
            frame[1] = (byte) (0x80 | (lengthBytes == 2 ? 126 : 127));
            for (int i = 0; i < lengthBytes; i++) {
                frame[2 + i] = (byte) ((long) n >>> 8 * (lengthBytes - 1 - i));
            }
        }
        System.arraycopy(payload, 0, frame, 2 + lengthBytes + 4, n);
        return frame;
    }

    private static WsCloseException protocolError(String message) {
        return new WsCloseException(message, WsCloseCodes.PROTOCOL_ERROR);
    }
}
