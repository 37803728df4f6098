package dev.cdp.ingestion.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message as it arrived, before validation.
 *
 * @param message the parsed JSON
 * @param bytes its size as sent
 * @param raw its bytes exactly as sent, which become the record's payload as they are; null when the message was
 *        changed on the way (a batch's context merged in) or built from a file row
 * @param pointer where it sits in the request, as a JSON pointer ("" for a single message, "/batch/3" in a batch)
 */
public record Envelope(JsonNode message, long bytes, byte[] raw, String pointer) {
}
