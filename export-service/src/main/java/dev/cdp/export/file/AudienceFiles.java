package dev.cdp.export.file;

import dev.cdp.export.platform.Platform;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The platform-ready file writers. Files are UTF-8 without a byte-order mark (a BOM would become part of the first
 * header name), CRLF line ends, exactly one header row.
 */
public final class AudienceFiles {

    private AudienceFiles() {
    }

    /**
     * A writer for the platform's file format into {@code out}, which must encode UTF-8 and should be buffered; the
     * caller closes it.
     */
    public static AudienceFileWriter writer(Platform platform, Writer out) {
        return new CsvAudienceWriter(AudienceRows.of(platform), out);
    }

    /** A writer into a byte stream, UTF-8 and buffered: call {@link AudienceFileWriter#flush()} at the end. */
    public static AudienceFileWriter writer(Platform platform, OutputStream out) {
        return writer(platform, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
    }
}
