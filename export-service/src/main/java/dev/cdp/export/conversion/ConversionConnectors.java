package dev.cdp.export.conversion;

import dev.cdp.export.delivery.ConversionConnector;
import dev.cdp.export.destination.DestinationKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The conversion API of each destination kind that has one (a webhook has none). */
@ApplicationScoped
public class ConversionConnectors {

    private final Map<DestinationKind, ConversionConnector> byKind = new EnumMap<>(DestinationKind.class);

    public ConversionConnectors(Instance<ConversionConnector> connectors) {
        connectors.forEach(connector -> byKind.put(connector.spec().kind(), connector));
    }

    /** Null for a kind without a conversion API. */
    public ConversionConnector of(DestinationKind kind) {
        return byKind.get(kind);
    }
}
