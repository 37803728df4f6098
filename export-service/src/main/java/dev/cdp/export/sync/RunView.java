package dev.cdp.export.sync;

import dev.cdp.export.domain.ConsentBasis;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A sync run as the API shows it: what was sent and what the platform said.
 *
 * @param membersRead segment members (or reconsidered customers who are members) read
 * @param unconfirmedAdds adds that were at the platform when a crash cut the run off: taken as delivered, not resent
 * @param platformReceived rows the platform said it received; {@code platformInvalid} of them it could not use
 * @param coverage per identifier, how many sent rows carry it
 * @param consent the consent the run relied on: members' data is read as the run goes, from its start
 */
public record RunView(UUID id, UUID syncId, SyncRun.Kind kind, String trigger, SyncRun.Status status, Instant createdAt, Instant startedAt,
        Instant finishedAt, Long durationMs, long membersRead, long rowsAdded, long rowsRemoved, long rowsFailed, long skippedNoConsent,
        long skippedNoIdentifier, long unconfirmedAdds, long platformReceived, long platformInvalid, List<String> invalidSamples,
        List<String> requestIds, Map<String, Long> coverage, int batchesSent, ConsentBasis consent, String error) {

    static RunView of(SyncRun run) {
        return new RunView(run.id, run.syncId, run.kind, run.trigger, run.status, run.createdAt, run.startedAt, run.finishedAt, run.durationMs(),
                run.membersRead, run.rowsAdded, run.rowsRemoved, run.rowsFailed, run.skippedNoConsent, run.skippedNoIdentifier,
                run.unconfirmedAdds, run.platformReceived, run.platformInvalid, run.invalidSamples, run.requestIds, run.coverage,
                run.batchesSent, ConsentBasis.advertisingAsOf(run.startedAt), run.error);
    }
}
