package dev.cdp.ingestion.service;

import dev.cdp.problem.ProblemException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import jakarta.ws.rs.core.Response.Status;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Undoes a request body's {@code Content-Encoding} as it streams: {@code gzip} and {@code deflate} (zlib) by Netty's
 * decoder, {@code identity} as is. The limit applies to the decoded bytes, and the input is fed in slices of 4 KB,
 * which deflate can expand to at most about 4 MB: a small "zip bomb" is refused with a 413 once the limit is passed,
 * and never inflated into memory. Mobile and server SDKs compress their batches.
 */
public final class ContentDecoder {

    /** What an encoded body is fed in; deflate's largest ratio is about 1032:1. */
    private static final int SLICE = 4096;
    private static final int MAX_SLICE_OUTPUT = SLICE * 1100;

    private final String encoding;
    private final EmbeddedChannel inflater;
    private final JdkZlibDecoder decoder;
    private final long limit;
    private final LongFunction<String> tooLarge;
    private long decoded;

    private ContentDecoder(String encoding, long limit, LongFunction<String> tooLarge) {
        this.encoding = encoding;
        this.limit = limit;
        this.tooLarge = tooLarge;
        this.decoder = switch (encoding) {
            case "identity" -> null;
            case "gzip" -> new JdkZlibDecoder(ZlibWrapper.GZIP, MAX_SLICE_OUTPUT);
            case "deflate" -> new JdkZlibDecoder(ZlibWrapper.ZLIB, MAX_SLICE_OUTPUT);
            default -> throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-encoding",
                    "Content-Encoding " + encoding + " is not supported: send the body as is, or gzip or deflate it");
        };
        this.inflater = decoder == null ? null : new EmbeddedChannel(decoder);
    }

    /**
     * A decoder for a body sent with {@code contentEncoding} (null: none); {@code tooLarge} makes the 413's detail
     * from the number of decoded bytes seen when the limit was passed.
     */
    public static ContentDecoder of(String contentEncoding, long limit, LongFunction<String> tooLarge) {
        String encoding = contentEncoding == null || contentEncoding.isBlank() ? "identity"
                : contentEncoding.trim().toLowerCase(Locale.ROOT);
        return new ContentDecoder(encoding.equals("x-gzip") ? "gzip" : encoding, limit, tooLarge);
    }

    /** The whole body decoded; the bytes as they are when it was not encoded. */
    public static byte[] decodeAll(byte[] body, String contentEncoding, long limit, LongFunction<String> tooLarge) {
        ContentDecoder decoder = of(contentEncoding, limit, tooLarge);
        if (decoder.inflater == null) {
            decoder.count(body.length);
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(body.length * 8, (int) Math.min(limit, 1 << 20)));
        decoder.decode(body, out::writeBytes);
        decoder.finish();
        return out.toByteArray();
    }

    /** Decodes the next piece of the body, handing what it yields to {@code sink}. */
    public void decode(byte[] chunk, Consumer<byte[]> sink) {
        if (inflater == null) {
            count(chunk.length);
            sink.accept(chunk);
            return;
        }
        for (int at = 0; at < chunk.length; at += SLICE) {
            try {
                inflater.writeInbound(Unpooled.wrappedBuffer(chunk, at, Math.min(SLICE, chunk.length - at)));
            } catch (DecompressionException e) {
                close();
                throw new ProblemException(Status.BAD_REQUEST, "malformed-encoding",
                        "The body is not valid " + encoding + " data, as its Content-Encoding says");
            }
            for (ByteBuf piece; (piece = inflater.readInbound()) != null; ) {
                try {
                    int size = piece.readableBytes();
                    count(size);
                    byte[] bytes = new byte[size];
                    piece.readBytes(bytes);
                    sink.accept(bytes);
                } finally {
                    piece.release();
                }
            }
        }
    }

    /** The body has ended: an encoded body must have ended where its encoding does. */
    public void finish() {
        if (inflater == null) {
            return;
        }
        boolean complete = decoder.isClosed();
        close();
        if (!complete) {
            throw new ProblemException(Status.BAD_REQUEST, "malformed-encoding",
                    "The " + encoding + " body ended before its compressed data did");
        }
    }

    /** Releases what an abandoned body held. */
    public void close() {
        if (inflater != null) {
            try {
                inflater.finishAndReleaseAll();
            } catch (DecompressionException e) {
                // the decoder's failure, already reported; the buffers are released either way
            }
        }
    }

    private void count(long bytes) {
        decoded += bytes;
        if (decoded > limit) {
            close();
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "too-large", tooLarge.apply(decoded));
        }
    }
}
