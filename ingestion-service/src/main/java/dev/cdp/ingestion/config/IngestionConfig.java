package dev.cdp.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** Settings of the intake ({@code cdp.ingestion.*}, or environment variables {@code CDP_INGESTION_*}). */
@ConfigMapping(prefix = "cdp.ingestion")
public interface IngestionConfig {

    /**
     * The sources and their write keys, as {@code source=key} pairs separated by commas, for example
     * {@code web=wk_web_dev,app=wk_app_dev,pos=wk_pos_dev}. Set by the environment variable {@code CDP_WRITE_KEYS}.
     * Optional: keys can also be made, rotated and revoked over the API ({@code /write-keys}).
     */
    Optional<String> writeKeys();

    /** How often the managed write keys are reloaded from the database (other replicas' changes take this long). */
    @WithDefault("2s")
    String writeKeyReload();

    /** The rate a managed write key gets when it is made without one: messages per second, per replica. */
    @WithDefault("1000")
    int defaultKeyRate();

    /**
     * The web origins each source accepts browser calls from, as {@code source=origin origin ...} pairs separated by
     * commas, such as {@code web=https://www.example.com https://*.example.com}; {@code *} alone allows any origin.
     * Absent: no source takes calls from a browser page of another origin. Set by {@code CDP_ALLOWED_ORIGINS}.
     */
    Optional<String> allowedOrigins();

    /**
     * Where a phone number without a country code is read, as profile-service reads it (both take
     * {@code CDP_DEFAULT_PHONE_REGION}): a transaction known only by such a number is accepted only when it is one.
     */
    @WithDefault("TR")
    String defaultPhoneRegion();

    /** The largest single message, in bytes (Segment's limit: 32 KB). */
    @WithDefault("32768")
    int maxMessageBytes();

    /**
     * The largest batch request ({@code /v1/batch}, {@code /v1/transactions}), in bytes (Segment's limit: 500 KB). At
     * most {@code quarkus.http.limits.max-body-size}, which answers larger bodies before they are read.
     */
    @WithDefault("512000")
    int maxBatchBytes();

    /** The most messages in one batch request (Segment's limit: 2,500). */
    @WithDefault("2500")
    int maxBatchMessages();

    /** The largest file {@code /v1/import} reads, in bytes; files are streamed, never held in memory. */
    @WithDefault("4294967296")
    long maxImportBytes();

    /** How many line errors an import reports (all are counted). */
    @WithDefault("100")
    int maxReportedErrors();

    /** Kafka producer settings for {@code cdp.events.raw} ({@code acks}, {@code linger.ms}, ...). */
    Map<String, String> producer();

    /** How many records of one import may await Kafka's acknowledgement before reading the upload pauses. */
    @WithDefault("2000")
    int importInFlight();
}
