package dev.cdp.segment.domain;

import java.time.Instant;
import java.util.List;

/** How many customers an unsaved definition selects now, with a sample of them and the SQL that selected them. */
public record Preview(long size, List<Member> sample, Instant evaluatedAt, CompiledQuery query) {

    /** A member as a preview shows it: who, where, which tier, how old; no contact data. */
    public record Member(String customerId, String city, String segment, Integer age, long transactionCount) {
    }
}
