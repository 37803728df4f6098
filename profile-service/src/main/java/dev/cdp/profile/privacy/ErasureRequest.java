package dev.cdp.profile.privacy;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who to erase: exactly one field. */
@Schema(description = "Who to erase: exactly one of the fields")
public record ErasureRequest(
        @Schema(description = "A customer id (a merged-away id leads to the customer that absorbed it)") String customerId,
        String userId,
        String anonymousId,
        @Schema(description = "Matched as identities hold it: lower case") String email,
        @Schema(description = "Matched in E.164; a number without a country code is read in the default region") String phone,
        String loyaltyCard) {
}
