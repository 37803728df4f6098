package dev.cdp.export.delivery;

import dev.cdp.export.destination.DestinationKind;
import java.util.Map;
import java.util.UUID;

/**
 * Where a call goes: the destination with its opened credentials, and the sync and run it is made for (null for a
 * connection test), for the audit. Holds secrets: never logged.
 *
 * @param audienceId the platform audience, once there is one
 */
public record Target(UUID destinationId, DestinationKind kind, Map<String, String> settings, Map<String, String> credentials,
        UUID syncId, UUID runId, String audienceId) {

    public String setting(String name) {
        return settings.get(name);
    }

    public String credential(String name) {
        return credentials.get(name);
    }

    /** The same destination, for a run of a sync and its platform audience. */
    public Target forRun(UUID sync, UUID run, String audience) {
        return new Target(destinationId, kind, settings, credentials, sync, run, audience);
    }

    public Target withAudience(String audience) {
        return new Target(destinationId, kind, settings, credentials, syncId, runId, audience);
    }

    @Override
    public String toString() {
        return "Target[destination=" + destinationId + ", kind=" + kind + ", sync=" + syncId + ", run=" + runId + "]";
    }
}
