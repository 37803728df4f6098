package dev.cdp.profile.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.StoredEvent.Context;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a message's {@code context} tells the ad platforms: IP address, user agent, locale, page, and the click and
 * browser ids. A tracker (or a pixel's cookie, copied by the site) may put {@code fbc}, {@code fbp}, {@code ttclid},
 * {@code ttp}, {@code gclid}, {@code gbraid} or {@code wbraid} into {@code context}; a click id missing there is read
 * from the page URL's query, where the ad click put it ({@code fbclid} becomes {@code fbc} as Meta's pixel forms it:
 * {@code fb.1.<milliseconds>.<fbclid>}).
 */
final class EventContexts {

    /** Longer values are not ids (a click id is at most a few hundred characters): left out. */
    private static final int MAX_VALUE = 1000;

    private EventContexts() {
    }

    static Context of(JsonNode payload, Instant occurredAt) {
        JsonNode context = payload.path("context");
        if (!context.isObject()) {
            return Context.NONE;
        }
        JsonNode page = context.path("page");
        String url = text(page, "url");
        Map<String, String> query = query(url);
        String fbc = text(context, "fbc");
        if (fbc == null && query.get("fbclid") != null) {
            fbc = "fb.1." + occurredAt.toEpochMilli() + "." + query.get("fbclid");
        }
        return new Context(text(context, "ip"), text(context, "userAgent"), text(context, "locale"), url, text(page, "referrer"),
                fbc, text(context, "fbp"), clickId(context, query, "ttclid"), text(context, "ttp"), clickId(context, query, "gclid"),
                clickId(context, query, "gbraid"), clickId(context, query, "wbraid"));
    }

    private static String clickId(JsonNode context, Map<String, String> query, String name) {
        String given = text(context, name);
        return given != null ? given : query.get(name);
    }

    /** The query parameters of a page URL (the first of each name), empty when it has none or does not parse. */
    private static Map<String, String> query(String url) {
        Map<String, String> parameters = new HashMap<>();
        if (url == null || url.indexOf('?') < 0) {
            return parameters;
        }
        try {
            String raw = URI.create(url).getRawQuery();
            if (raw == null) {
                return parameters;
            }
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8).strip();
                    if (!value.isEmpty() && value.length() <= MAX_VALUE) {
                        parameters.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8), value);
                    }
                }
            }
        } catch (IllegalArgumentException unreadable) {
            // not a URL: no click ids from it
        }
        return parameters;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() || text.length() > MAX_VALUE ? null : text;
    }
}
