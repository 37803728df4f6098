package dev.cdp.export.file;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Platform;
import java.io.IOException;
import java.util.List;

/**
 * Turns members into one platform-ready CSV file: {@link #writeHeader()} once, then {@link #write} per member.
 *
 * <p>Consent is not checked here: the job runner passes only members with {@code consentAdvertising}. Not
 * thread-safe (it reuses one {@link dev.cdp.export.hash.Hasher}); one writer per export job and thread.
 */
public interface AudienceFileWriter {

    Platform platform();

    /** The column names of the header row, in order (a name may repeat, as platforms allow). */
    List<String> header();

    /** Writes the header row; exactly once, before any member. */
    void writeHeader() throws IOException;

    /**
     * Normalizes and hashes the member's identifiers and writes one row, or none when nothing usable is left (see
     * {@link RowOutcome}). Either way the member is counted in {@link #coverage()}.
     */
    RowOutcome write(AudienceMember member) throws IOException;

    /** Live counters of this file. */
    Coverage coverage();

    void flush() throws IOException;
}
