package dev.cdp.profile.domain;

/**
 * How much each layer holds: messages as received (bronze); live and merged customers, identities, transactions and
 * interactions (silver); customers with facts (gold); and the quality issues recorded while cleaning. With them, how
 * far the consumer is behind on {@code cdp.events.raw} (null before the first measurement).
 */
public record LayerCounts(long rawEvents, long customers, long mergedCustomers, long identities, long transactions, long interactions,
        long customersWithFacts, long qualityIssues, ConsumerLag consumerLag) {

    public LayerCounts withConsumerLag(ConsumerLag lag) {
        return new LayerCounts(rawEvents, customers, mergedCustomers, identities, transactions, interactions, customersWithFacts,
                qualityIssues, lag);
    }
}
