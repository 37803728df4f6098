package dev.cdp.export.file;

import dev.cdp.export.platform.Platform;
import java.io.OutputStream;

/**
 * The platform-ready file writers. Files are UTF-8 without a byte-order mark (a BOM would become part of the first
 * header name), CRLF line ends, exactly one header row.
 */
public final class AudienceFiles {

    private AudienceFiles() {
    }

    /** A writer of the platform's file into a byte stream, in UTF-8 and buffered: call {@link AudienceFileWriter#flush()} at the end. */
    public static AudienceFileWriter writer(Platform platform, OutputStream out) {
        return new CsvAudienceWriter(AudienceRows.of(platform), out);
    }
}
