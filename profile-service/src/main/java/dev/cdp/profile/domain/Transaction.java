package dev.cdp.profile.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/** One purchase, fuel or market sale. */
public record Transaction(long id, String transactionId, String type, BigDecimal amount, String currency, String storeId,
        JsonNode items, String source, Instant occurredAt) {
}
