package dev.cdp.export.destination;

import dev.cdp.export.platform.Platform;
import java.util.List;

/**
 * What a destination connects to, the settings and credentials each kind takes, and the row format it receives
 * (a webhook gets Meta's rows: the most identifiers, hashed). {@code pixelId}, {@code conversionActionId} and
 * {@code pixelCode} name where forwarded conversions go (docs/conversions.md).
 */
public enum DestinationKind {
    META(Platform.META, List.of("adAccountId"), List.of("pixelId"), List.of("accessToken"), List.of("appSecret")),
    GOOGLE(Platform.GOOGLE, List.of("operatingAccountId"), List.of("operatingAccountType", "loginAccountId", "loginAccountType",
            "conversionActionId"),
            List.of(), List.of("accessToken", "refreshToken", "clientId", "clientSecret")),
    TIKTOK(Platform.TIKTOK, List.of("advertiserId"), List.of("pixelCode"), List.of("accessToken"), List.of()),
    WEBHOOK(Platform.META, List.of("url"), List.of(), List.of(), List.of("signingSecret"));

    private final Platform rows;
    private final List<String> requiredSettings;
    private final List<String> optionalSettings;
    private final List<String> requiredCredentials;
    private final List<String> optionalCredentials;

    DestinationKind(Platform rows, List<String> requiredSettings, List<String> optionalSettings, List<String> requiredCredentials,
            List<String> optionalCredentials) {
        this.rows = rows;
        this.requiredSettings = requiredSettings;
        this.optionalSettings = optionalSettings;
        this.requiredCredentials = requiredCredentials;
        this.optionalCredentials = optionalCredentials;
    }

    /** Whose normalization and row format the members are sent in. */
    public Platform rows() {
        return rows;
    }

    public List<String> requiredSettings() {
        return requiredSettings;
    }

    public List<String> optionalSettings() {
        return optionalSettings;
    }

    public List<String> requiredCredentials() {
        return requiredCredentials;
    }

    public List<String> optionalCredentials() {
        return optionalCredentials;
    }
}
