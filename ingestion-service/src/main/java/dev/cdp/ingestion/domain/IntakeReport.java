package dev.cdp.ingestion.domain;

import dev.cdp.problem.Violation;
import java.util.List;

/**
 * What became of the messages of one request.
 *
 * @param messageIds the ids of the accepted messages, in request order
 * @param rejected every violation of the rejected messages, each field a JSON pointer into the request
 * @param rejectedCount how many messages were rejected
 */
public record IntakeReport(List<String> messageIds, List<Violation> rejected, int rejectedCount) {
}
