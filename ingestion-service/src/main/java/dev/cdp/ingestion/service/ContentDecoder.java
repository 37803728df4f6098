package dev.cdp.ingestion.service;

import dev.cdp.events.TextKeys;
import dev.cdp.problem.ProblemException;
import jakarta.ws.rs.core.Response.Status;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a request body's {@code Content-Encoding} as it streams in, chunk by chunk: {@code gzip} (RFC 1952, every
 * member of a concatenated file, each checked by its CRC and size) and {@code deflate} (the zlib format, RFC 1950)
 * with the JDK's {@link Inflater}; {@code identity} as is. The limit applies to the decoded bytes, which leave in
 * pieces of at most 64 KB: a small "zip bomb" is refused with a 413 once the limit is passed, never inflated into
 * memory. A body that is not what its encoding says, or that ends before its compressed data does, is a 400. (Netty's
 * decoder, tried first, cannot tell a body cut short from a whole one when gzip members are concatenated, and drops
 * the members after the first when they are not.)
 */
public final class ContentDecoder {

    private static final int PIECE = 64 * 1024;
    /** A gzip header with a file name or comment longer than this is not a request body. */
    private static final int MAX_HEADER = 64 * 1024;
    private static final int GZIP_TRAILER = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum State { HEADER, DATA, TRAILER, END }

    private final String encoding;
    private final long limit;
    private final LongFunction<String> tooLarge;
    private final byte[] output = new byte[PIECE];
    /** Header or trailer bytes that arrived before the rest of them. */
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final CRC32 crc = new CRC32();
    private Inflater inflater;
    private State state;
    private long decoded;
    private long memberSize;
    private int members;

    private ContentDecoder(String encoding, long limit, LongFunction<String> tooLarge) {
        this.encoding = encoding;
        this.limit = limit;
        this.tooLarge = tooLarge;
        switch (encoding) {
            case "identity" -> state = null;
            case "gzip" -> state = State.HEADER;
            case "deflate" -> {
                state = State.DATA;
                inflater = new Inflater();
            }
            default -> throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-encoding",
                    "Content-Encoding " + encoding + " is not supported: send the body as is, or gzip or deflate it");
        }
    }

    /**
     * A decoder for a body sent with {@code contentEncoding} (null: none); {@code tooLarge} makes the 413's detail
     * from the number of decoded bytes seen when the limit was passed.
     */
    public static ContentDecoder of(String contentEncoding, long limit, LongFunction<String> tooLarge) {
        String encoding = contentEncoding == null || contentEncoding.isBlank() ? "identity" : TextKeys.lower(contentEncoding);
        return new ContentDecoder(encoding.equals("x-gzip") ? "gzip" : encoding, limit, tooLarge);
    }

    /** The whole body decoded; the bytes as they are when it was not encoded. */
    public static byte[] decodeAll(byte[] body, String contentEncoding, long limit, LongFunction<String> tooLarge) {
        ContentDecoder decoder = of(contentEncoding, limit, tooLarge);
        if (decoder.state == null) {
            decoder.count(body.length);
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, Math.min(body.length * 8L, 1 << 20)));
        decoder.decode(body, out::writeBytes);
        decoder.finish();
        return out.toByteArray();
    }

    /** Decodes the next chunk of the body, handing what it yields to {@code sink}. */
    public void decode(byte[] chunk, Consumer<byte[]> sink) {
        if (state == null) {
            count(chunk.length);
            sink.accept(chunk);
            return;
        }
        int at = 0;
        while (at < chunk.length) {
            at = switch (state) {
                case HEADER -> header(chunk, at);
                case DATA -> inflate(chunk, at, sink);
                case TRAILER -> trailer(chunk, at);
                case END -> throw malformed("The " + encoding + " body goes on after its compressed data ended");
            };
        }
    }

    /** The body has ended: an encoded body must have ended where its compressed data does. */
    public void finish() {
        boolean complete = state == null || state == State.END || state == State.HEADER && members > 0 && partial.size() == 0;
        close();
        if (!complete) {
            throw malformed("The " + encoding + " body ended before its compressed data did");
        }
    }

    /** Releases the inflater of an abandoned body. */
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Reads a gzip member's header: 10 bytes, then optional extra field, name, comment and header CRC. */
    private int header(byte[] chunk, int at) {
        int before = partial.size();
        partial.write(chunk, at, Math.min(chunk.length - at, MAX_HEADER + 1 - before));
        byte[] bytes = partial.toByteArray();
        int length = headerLength(bytes);
        if (length < 0) {
            if (bytes.length > MAX_HEADER) {
                throw malformed("The gzip body's header is longer than " + MAX_HEADER + " bytes");
            }
            return chunk.length;
        }
        partial.reset();
        inflater = new Inflater(true);
        crc.reset();
        memberSize = 0;
        state = State.DATA;
        return at + length - before;
    }

    /** The length of the gzip header at the start of {@code bytes}, or -1 when more bytes are needed. */
    private int headerLength(byte[] bytes) {
        if (bytes.length >= 2 && ((bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b)
                || bytes.length >= 3 && bytes[2] != 8) {
            throw malformed("The body is not gzip data, as its Content-Encoding says");
        }
        if (bytes.length < 10) {
            return -1;
        }
        int flags = bytes[3] & 0xff;
        int at = 10;
        if ((flags & FEXTRA) != 0) {
            if (bytes.length < at + 2) {
                return -1;
            }
            at += 2 + ((bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8);
        }
        for (int field : new int[] {FNAME, FCOMMENT}) {
            if ((flags & field) != 0) {
                while (at < bytes.length && bytes[at] != 0) {
                    at++;
                }
                if (at++ >= bytes.length) {
                    return -1;
                }
            }
        }
        if ((flags & FHCRC) != 0) {
            at += 2;
        }
        return at <= bytes.length ? at : -1;
    }

    /** Inflates what the chunk holds from {@code at}; answers where the compressed data ended, or the chunk's end. */
    private int inflate(byte[] chunk, int at, Consumer<byte[]> sink) {
        inflater.setInput(chunk, at, chunk.length - at);
        try {
            while (true) {
                int size = inflater.inflate(output);
                if (size > 0) {
                    count(size);
                    crc.update(output, 0, size);
                    memberSize += size;
                    sink.accept(Arrays.copyOf(output, size));
                }
                if (inflater.finished()) {
                    int end = chunk.length - inflater.getRemaining();
                    if (encoding.equals("gzip")) {
                        inflater.end();
                        inflater = null;
                        state = State.TRAILER;
                    } else {
                        state = State.END;
                    }
                    return end;
                }
                if (size == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    if (inflater.needsDictionary()) {
                        throw malformed("The deflate body needs a preset dictionary, which HTTP does not provide");
                    }
                    return chunk.length;
                }
            }
        } catch (DataFormatException e) {
            throw malformed("The body is not valid " + encoding + " data, as its Content-Encoding says");
        }
    }

    /** Reads a gzip member's trailer, its CRC-32 and size, and checks them against what was inflated. */
    private int trailer(byte[] chunk, int at) {
        int take = Math.min(chunk.length - at, GZIP_TRAILER - partial.size());
        partial.write(chunk, at, take);
        if (partial.size() < GZIP_TRAILER) {
            return chunk.length;
        }
        byte[] bytes = partial.toByteArray();
        partial.reset();
        if (littleEndian(bytes, 0) != crc.getValue() || littleEndian(bytes, 4) != (memberSize & 0xffffffffL)) {
            throw malformed("The gzip body's data does not match its checksum");
        }
        members++;
        state = State.HEADER;
        return at + take;
    }

    private static long littleEndian(byte[] bytes, int at) {
        return (bytes[at] & 0xffL) | (bytes[at + 1] & 0xffL) << 8 | (bytes[at + 2] & 0xffL) << 16 | (bytes[at + 3] & 0xffL) << 24;
    }

    private void count(long bytes) {
        decoded += bytes;
        if (decoded > limit) {
            close();
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "too-large", tooLarge.apply(decoded));
        }
    }

    private ProblemException malformed(String detail) {
        close();
        return new ProblemException(Status.BAD_REQUEST, "malformed-encoding", detail);
    }
}
