package dev.cdp.ingestion.rest;

import dev.cdp.ingestion.domain.IntakeReport;
import dev.cdp.problem.Violation;
import java.util.List;

/** The bodies the intake answers with. */
public final class IntakeResponses {

    private IntakeResponses() {
    }

    /** One message accepted: it is in Kafka. */
    public record Accepted(boolean success, String messageId) {
        static Accepted of(IntakeReport report) {
            return new Accepted(true, report.messageIds().get(0));
        }
    }

    /**
     * A batch was taken in part or in whole: the accepted messages are in Kafka; each rejected one is named by a
     * JSON pointer into the request (such as {@code /batch/3/event}) with what is wrong.
     */
    public record BatchAccepted(boolean success, int accepted, int rejected, List<Violation> errors) {
        static BatchAccepted of(IntakeReport report) {
            return new BatchAccepted(true, report.messageIds().size(), report.rejectedCount(), report.rejected());
        }
    }
}
