package dev.cdp.ingestion.rest;

import dev.cdp.ingestion.domain.MessageType;
import dev.cdp.ingestion.rest.IntakeRequests.Parsed;
import dev.cdp.ingestion.rest.IntakeResponses.BatchAccepted;
import dev.cdp.ingestion.service.IntakeMetrics;
import dev.cdp.ingestion.service.IntakeService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Point-of-sale transactions: purchases, fuel and market sales. */
@PermitAll // tracking calls carry a write key, which the intake checks itself
@Path("/v1/transactions")
@Tag(name = "transactions", description = "POS transactions")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionResource {

    private final IntakeRequests requests;
    private final IntakeService intake;
    private final IntakeMetrics metrics;

    public TransactionResource(IntakeRequests requests, IntakeService intake, IntakeMetrics metrics) {
        this.requests = requests;
        this.intake = intake;
        this.metrics = metrics;
    }

    @POST
    @Operation(summary = "Record one transaction, or a JSON array of up to 2,500",
            description = "Each needs transactionId, a customer (userId, anonymousId, email, phone or loyaltyCard), "
                    + "transactionType PURCHASE, FUEL or MARKET, amount (a decimal, as a JSON number or string) and "
                    + "currency; storeId, items and timestamp are optional. A transaction without messageId gets "
                    + "\"transaction-<transactionId>\", so sending it twice stores it once. Arrays are partial, like /v1/batch.")
    public CompletionStage<BatchAccepted> record(@BeanParam IntakeCall call, byte[] body) {
        metrics.requestSize("transactions", body.length);
        Parsed parsed = requests.oneOrMany(call, body);
        String source = requests.source(call, parsed.writeKey(), parsed.envelopes().size());
        return intake.accept(source, parsed.envelopes(), Optional.of(MessageType.TRANSACTION), null).thenApply(BatchAccepted::of);
    }
}
