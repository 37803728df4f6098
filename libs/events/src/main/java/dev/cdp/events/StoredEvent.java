package dev.cdp.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One interaction or transaction profile-service stored, on {@link Topics#EVENTS_STORED}, keyed by customerId, sent
 * once the batch that stored it has committed: what happened, to whom after identity stitching, the profile as it
 * stands after that batch, and whether the customer consented to advertising at that moment. export-service forwards
 * these to the ad platforms' conversion APIs. Holds PII in clear: never log it (see {@link #toString()}).
 *
 * @param messageId the sender's message id, the platforms' de-duplication id ({@code event_id})
 * @param source the source that sent it (web, app, pos, ...)
 * @param type track, page, screen or transaction
 * @param event the event name: a track call's {@code event}, {@code page_view}, {@code screen_view} or {@code transaction}
 * @param occurredAt when it happened, as the sender says
 * @param receivedAt when ingestion-service accepted it
 * @param customerId the customer it was stitched to (merges applied)
 * @param advertisingConsent whether the customer had granted advertising consent when it happened
 * @param properties a track, page or screen call's {@code properties}; a transaction's {@code transactionId, type, amount,
 *     currency, storeId, items}
 * @param context where it happened and the ids the trackers captured
 * @param person the stitched profile's identifying fields
 * @param schemaVersion the version of this record's shape
 */
@JsonInclude(JsonInclude.Include.NON_NULL) // most context and profile fields are empty: the record stays small
public record StoredEvent(String messageId, String source, String type, String event, Instant occurredAt, Instant receivedAt,
        UUID customerId, boolean advertisingConsent, JsonNode properties, Context context, Person person, int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;
    public static final String TRANSACTION = "transaction";

    /**
     * Where the event happened, and the click and browser ids the trackers captured: each from the message's
     * {@code context} (Segment's {@code ip}, {@code userAgent}, {@code locale}, {@code page}) or, for click ids, from
     * the page URL's query ({@code fbclid} becomes {@code fbc} as Meta forms it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Context(String ip, String userAgent, String locale, String pageUrl, String referrer, String fbc, String fbp,
            String ttclid, String ttp, String gclid, String gbraid, String wbraid) {

        public static final Context NONE = new Context(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The profile's identifying fields as profile-service keeps them: email folded, phone in E.164, country as ISO
     * 3166-1 alpha-2; the rest as cleaned. export-service normalizes and hashes them per platform.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Person(String email, String phone, String firstName, String lastName, LocalDate birthDate, String gender,
            String city, String state, String postalCode, String countryCode, List<String> userIds) {
    }

    /** Ids and names only: the generated form would print PII. */
    @Override
    public String toString() {
        return "StoredEvent[messageId=" + messageId + ", source=" + source + ", event=" + event + ", customerId=" + customerId + "]";
    }
}
