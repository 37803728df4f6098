package dev.cdp.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** Settings of profile-service ({@code cdp.profile.*}, or environment variables {@code CDP_PROFILE_*}). */
@ConfigMapping(prefix = "cdp.profile")
public interface ProfileConfig {

    /** Kafka consumer settings for {@code cdp.events.raw} ({@code group.id}, {@code max.poll.records}, ...). */
    Map<String, String> consumer();

    /** Kafka producer settings for {@code cdp.profiles.changed} and the dead-letter topic. */
    Map<String, String> producer();

    /** The region phone numbers without a country code are read in, when the message names no country. */
    @WithDefault("TR")
    String defaultPhoneRegion();
}
