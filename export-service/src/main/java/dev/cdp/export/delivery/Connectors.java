package dev.cdp.export.delivery;

import dev.cdp.export.destination.DestinationKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The connector of each destination kind. */
@ApplicationScoped
public class Connectors {

    private final Map<DestinationKind, AudienceConnector> byKind = new EnumMap<>(DestinationKind.class);

    public Connectors(Instance<AudienceConnector> connectors) {
        connectors.forEach(connector -> byKind.put(connector.kind(), connector));
        for (DestinationKind kind : DestinationKind.values()) {
            if (!byKind.containsKey(kind)) {
                throw new IllegalStateException("No connector for destination kind " + kind);
            }
        }
    }

    public AudienceConnector of(DestinationKind kind) {
        return byKind.get(kind);
    }
}
