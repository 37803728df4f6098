package dev.cdp.export.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What a platform answered to one call, as the audit keeps it: HTTP status, the platform's own code, its request id.
 *
 * @param body the parsed JSON answer ({@link MissingNode} when there was none or it was not JSON)
 */
public record PlatformAnswer(int httpStatus, String platformCode, String requestId, JsonNode body) {

    public static PlatformAnswer of(int httpStatus, String platformCode, String requestId, JsonNode body) {
        return new PlatformAnswer(httpStatus, platformCode, requestId, body == null ? MissingNode.getInstance() : body);
    }
}
