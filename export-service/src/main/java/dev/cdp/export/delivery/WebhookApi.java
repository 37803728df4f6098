package dev.cdp.export.delivery;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A webhook endpoint: one signed JSON POST per batch (the Standard Webhooks headers). */
public interface WebhookApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response deliver(@HeaderParam("webhook-id") String id, @HeaderParam("webhook-timestamp") String timestamp,
            @HeaderParam("webhook-signature") String signature, byte[] body);
}
