package dev.cdp.export.file;

/** What {@link AudienceFileWriter#write} did with a member. */
public enum RowOutcome {
    WRITTEN,
    /** No identifier the platform can match on alone (say, no email and no valid phone): no row was written. */
    SKIPPED_NO_IDENTIFIER;

    public boolean isWritten() {
        return this == WRITTEN;
    }
}
