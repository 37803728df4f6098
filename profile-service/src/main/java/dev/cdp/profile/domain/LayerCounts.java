package dev.cdp.profile.domain;

/**
 * How much each layer holds: messages as received (bronze); live and merged customers, identities, transactions and
 * interactions (silver); customers with facts (gold); and the quality issues recorded while cleaning.
 */
public record LayerCounts(long rawEvents, long customers, long mergedCustomers, long identities, long transactions, long interactions,
        long customersWithFacts, long qualityIssues) {
}
