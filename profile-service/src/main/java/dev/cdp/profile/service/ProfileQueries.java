package dev.cdp.profile.service;

import dev.cdp.problem.ProblemException;
import dev.cdp.profile.domain.Customer;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.Interaction;
import dev.cdp.profile.repository.CustomerRepository;
import dev.cdp.profile.repository.InteractionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads of profiles for the REST API; an unknown customer is a 404 problem. */
@ApplicationScoped
public class ProfileQueries {

    private final CustomerRepository customers;
    private final InteractionRepository interactions;

    public ProfileQueries(CustomerRepository customers, InteractionRepository interactions) {
        this.customers = customers;
        this.interactions = interactions;
    }

    public Uni<Customer> byIdentity(Identity identity) {
        return customers.findByIdentity(identity)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No customer is known by this " + identity.type()));
    }

    public Uni<Customer> byId(UUID customerId) {
        return customers.findById(customerId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No customer has id " + customerId));
    }

    public Uni<List<Interaction>> latestInteractions(UUID customerId, int limit) {
        return byId(customerId).chain(customer -> interactions.latest(customer.customerId(), limit));
    }
}
