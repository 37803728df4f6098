package dev.cdp.export.destination;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A destination as the API shows it: the names of the credentials it holds, never their values.
 *
 * @param signingSecret a webhook's signing secret when export-service generated it, in the creation answer only
 */
public record DestinationView(UUID id, String name, DestinationKind kind, Map<String, String> settings, List<String> credentialsSet,
        Destination.Status status, String attention, Instant createdAt, Instant updatedAt, String signingSecret) {
}
