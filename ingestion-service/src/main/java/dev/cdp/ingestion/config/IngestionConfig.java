package dev.cdp.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the intake ({@code cdp.ingestion.*}). */
@ConfigMapping(prefix = "cdp.ingestion")
public interface IngestionConfig {

    /**
     * The sources and their write keys, as {@code source=key} pairs separated by commas, for example
     * {@code web=wk_web_dev,app=wk_app_dev,pos=wk_pos_dev}. Set by the environment variable {@code CDP_WRITE_KEYS}.
     */
    String writeKeys();

    /** The largest single message accepted, in bytes (Segment's limit is 32 KB). */
    @WithDefault("32768")
    int maxMessageBytes();
}
