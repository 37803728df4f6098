package dev.cdp.ingestion.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The message types the intake accepts: Segment's six calls plus POS transactions. */
public enum MessageType {
    TRACK, IDENTIFY, PAGE, SCREEN, GROUP, ALIAS, TRANSACTION;

    /** The name on the wire and in {@code RawEvent.type}: lower case, as Segment writes it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessageType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName().equals(name)).findFirst();
    }
}
