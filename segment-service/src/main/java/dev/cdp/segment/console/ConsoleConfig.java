package dev.cdp.segment.console;

import io.smallrye.config.ConfigMapping;
import java.time.ZoneId;

/** Settings of the web console ({@code cdp.console.*}). */
@ConfigMapping(prefix = "cdp.console")
public interface ConsoleConfig {

    /** The zone the console shows dates and times in: the business's own. */
    ZoneId timeZone();

    /** Where websites and apps send events: the public address of ingestion-service, for the snippets. */
    String collectUrl();
}
