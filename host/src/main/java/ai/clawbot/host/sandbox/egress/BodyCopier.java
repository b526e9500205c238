package ai.clawbot.host.sandbox.egress;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies one message body as it is framed, byte for byte, stopping exactly where the body ends. */
final class BodyCopier {

    static final int BUFFER = 16 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;
    private static final int MAX_TRAILERS = 16 * 1024;

    private BodyCopier() {
    }

    /** Copies the body; throws {@link EOFException} if the sender stopped early, {@link IOException} if it is malformed. */
    static void copy(Framing framing, InputStream in, OutputStream out) throws IOException {
        switch (framing) {
            case Framing.None none -> {
            }
            case Framing.Length l -> copyExactly(l.bytes(), in, out);
            case Framing.Chunked c -> copyChunked(in, out);
            case Framing.UntilClose u -> in.transferTo(out);
        }
        out.flush();
    }

    private static void copyExactly(long n, InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("the body ended " + left + " bytes early");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = line(in, MAX_CHUNK_LINE);
            long size = chunkSize(sizeLine);
            out.write(sizeLine.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write('\r');
            out.write('\n');
            if (size == 0) {
                break;
            }
            copyExactly(size, in, out);
            if (!line(in, 2).isEmpty()) {
                throw new IOException("malformed chunked body: no CRLF after a chunk");
            }
            out.write('\r');
            out.write('\n');
        }
        // trailer fields, then the empty line that ends the message
        int total = 0;
        while (true) {
            String trailer = line(in, MAX_TRAILERS);
            total += trailer.length() + 2;
            if (total > MAX_TRAILERS) {
                throw new IOException("chunked trailers over " + MAX_TRAILERS + " bytes");
            }
            out.write(trailer.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write('\r');
            out.write('\n');
            if (trailer.isEmpty()) {
                return;
            }
        }
    }

    /** {@code hex-size[;extensions]}; extensions are passed on unchanged. */
    private static long chunkSize(String line) throws IOException {
        int end = 0;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
            end++;
        }
        if (end == 0 || end > 15) {
            throw new IOException("malformed chunk size line");
        }
        String rest = line.substring(end);
        if (!rest.isEmpty() && !rest.stripLeading().startsWith(";")) {
            throw new IOException("malformed chunk size line");
        }
        return Long.parseLong(line.substring(0, end), 16);
    }

    /** One CRLF-terminated line without its CRLF; bare CR or LF and control characters are refused. */
    private static String line(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the body ended in the middle of a chunked line");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed chunked body: a bare CR");
                }
                return b.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IOException("malformed chunked body: a bare LF or control character");
            }
            if (b.size() >= max) {
                throw new IOException("a chunked line longer than " + max + " bytes");
            }
            b.write(c);
        }
    }
}
