package dev.cdp.export.delivery;

import dev.cdp.export.destination.DestinationKind;
import dev.cdp.export.hash.Hasher;
import java.time.Duration;
import java.util.List;

/**
 * A platform's conversion API (platform-apis.md §4, §5; Google's Data Manager {@code events:ingest}): how one event is
 * written, how many go in one call, how old an event it still takes, and the call. Errors are thrown as {@link
 * DeliveryException}s, classified as for audiences.
 */
public interface ConversionConnector {

    /**
     * What a platform's API is: the destination kind, the destination setting that names where events go (a Meta
     * pixel or dataset, a TikTok pixel, a Google conversion action), the events a call takes, and how old an event it
     * takes.
     */
    record Spec(DestinationKind kind, String eventSetting, int maxEvents, Duration window) {
    }

    Spec spec();

    /** The oldest event the platform takes; an older one fails the call (Meta: the whole batch). */
    default Duration window(Conversion conversion) {
        return spec().window();
    }

    /**
     * The event as one element of the call's JSON array, or null when it holds nothing the platform can attribute it
     * by (Google needs a user identifier or a click id).
     */
    String event(Conversion conversion, Hasher hasher);

    /**
     * Sends events written by {@link #event} (for Google all of one conversion action, {@code platformEvent}); a
     * non-null {@code testEventCode} marks them as a test (Google: validated, not ingested).
     */
    PlatformAnswer send(Target target, String platformEvent, List<String> events, String testEventCode);

    /** The events a call accepted, as the platform counts them (its answer, else all). */
    default long accepted(PlatformAnswer answer, int sent) {
        return sent;
    }
}
