package dev.cdp.kafka;

/** A record that can never be processed, whatever is retried: it goes to the dead letters with this message as the reason. */
public class Unreadable extends Exception {

    public Unreadable(String reason) {
        super(reason, null, false, false);
    }
}
