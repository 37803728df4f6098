package dev.cdp.ingestion.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message as it arrived, before validation.
 *
 * @param message the parsed JSON
 * @param bytes its size as sent
 * @param pointer where it sits in the request, as a JSON pointer ("" for a single message, "/batch/3" in a batch)
 */
public record Envelope(JsonNode message, long bytes, String pointer) {
}
