package dev.cdp.export.delivery;

import java.time.Duration;

/**
 * A call a platform did not accept, classified by what to do about it (by the platform's own code, not only the
 * HTTP status: TikTok answers errors with HTTP 200). The message is the platform's, which never holds member data.
 */
public abstract sealed class DeliveryException extends RuntimeException {

    private final transient PlatformAnswer answer;

    DeliveryException(String message, PlatformAnswer answer) {
        super(message, null, false, false);
        this.answer = answer;
    }

    /** Null when no answer came (a timeout, a refused connection). */
    public PlatformAnswer answer() {
        return answer;
    }

    /** What the audit calls this outcome. */
    public abstract String outcome();

    /** A server error, a timeout or an unknown code: tried again with backoff, a bounded number of times. */
    public static final class Transient extends DeliveryException {
        public Transient(String message, PlatformAnswer answer) {
            super(message, answer);
        }

        @Override
        public String outcome() {
            return "RETRY";
        }
    }

    /** The platform's rate limit: wait as long as it says, then try again. */
    public static final class Throttled extends DeliveryException {
        private final Duration retryAfter;

        public Throttled(String message, PlatformAnswer answer, Duration retryAfter) {
            super(message, answer);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        @Override
        public String outcome() {
            return "THROTTLED";
        }
    }

    /** Credentials refused or lacking a permission: no retry; the destination needs attention. */
    public static final class AuthRefused extends DeliveryException {
        public AuthRefused(String message, PlatformAnswer answer) {
            super(message, answer);
        }

        @Override
        public String outcome() {
            return "AUTH_REFUSED";
        }
    }

    /** The batch's content was refused as a whole: its rows are tried in smaller parts to find the bad ones. */
    public static final class Rejected extends DeliveryException {
        public Rejected(String message, PlatformAnswer answer) {
            super(message, answer);
        }

        @Override
        public String outcome() {
            return "REJECTED";
        }
    }

    /** Anything else the platform refused for good (the audience was deleted, a setting is wrong): the run stops. */
    public static final class Fatal extends DeliveryException {
        public Fatal(String message, PlatformAnswer answer) {
            super(message, answer);
        }

        @Override
        public String outcome() {
            return "FAILED";
        }
    }
}
