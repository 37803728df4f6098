package dev.cdp.export.platform;

/**
 * ISO 3166-1 alpha-2 codes from what profiles hold: mostly the code itself, sometimes alpha-3 or a name, read by the
 * suite's one country table ({@link dev.cdp.events.Countries}), which profile-service cleans countries with.
 */
final class Countries {

    private Countries() {
    }

    /** The upper-case alpha-2 code, or null when the value names no country we know. */
    static String alpha2(String value) {
        String stripped = Text.strip(value);
        return stripped == null ? null : dev.cdp.events.Countries.code(stripped).orElse(null);
    }
}
