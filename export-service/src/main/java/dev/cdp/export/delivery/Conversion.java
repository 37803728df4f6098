package dev.cdp.export.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdp.events.StoredEvent;
import java.util.Map;

/**
 * One stored event as a destination is to receive it: the platform's event name (for Google, the conversion action),
 * the parameters the destination's rule took from the event, and the customer's identifiers in the platform's
 * audience row format, normalized and hashed as exports hash them ({@code row} is null when they hold nothing to
 * match on). PII only hashed; never logged.
 *
 * @param parameters by our names: {@code value} (a number), {@code currency} (ISO 4217), {@code order_id},
 *     {@code content_ids} (an array), and any other the rule names, as the event held them
 */
public record Conversion(StoredEvent event, String platformEvent, Map<String, JsonNode> parameters, String[] row) {

    /** Where it happened, in the words the platforms share: a till, a web page, an app screen, or else. */
    public enum Origin {
        STORE, WEB, APP, OTHER
    }

    public Origin origin() {
        if (StoredEvent.TRANSACTION.equals(event.type())) {
            return Origin.STORE;
        }
        if (event.context() != null && event.context().pageUrl() != null) {
            return Origin.WEB;
        }
        return "screen".equals(event.type()) ? Origin.APP : Origin.OTHER;
    }

    /** The row's cell, or null. */
    public String cell(int index) {
        return row == null ? null : row[index];
    }

    @Override
    public String toString() {
        return "Conversion[" + event + ", platformEvent=" + platformEvent + "]";
    }
}
