package dev.cdp.ingestion.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an imported file holds, and the message type each of its rows becomes. */
public enum ImportKind {
    /** Customer profiles: each row becomes an identify with traits and consents. */
    CUSTOMERS(MessageType.IDENTIFY),
    /** POS transactions: each row becomes a transaction. */
    TRANSACTIONS(MessageType.TRANSACTION),
    /** Digital interactions: each row becomes a track. */
    INTERACTIONS(MessageType.TRACK);

    private final MessageType messageType;

    ImportKind(MessageType messageType) {
        this.messageType = messageType;
    }

    public MessageType messageType() {
        return messageType;
    }

    public static Optional<ImportKind> fromName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.name().toLowerCase(Locale.ROOT).equals(name)).findFirst();
    }
}
