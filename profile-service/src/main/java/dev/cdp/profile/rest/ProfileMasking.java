package dev.cdp.profile.rest;

import dev.cdp.problem.Page;
import dev.cdp.profile.domain.Identity;
import dev.cdp.profile.domain.Profile;
import dev.cdp.profile.domain.ProfileSummary;
import dev.cdp.security.Masking;
import java.util.List;

/**
 * Profiles as a caller without {@code pii-reader} sees them: names, email, phone and loyalty card masked (see
 * {@link Masking}); birth date, postal code and the raw values of quality issues left out (interactions keep no IP
 * address or traits). Ids, city, country, consents and facts stay: segments are built from them.
 */
final class ProfileMasking {

    private ProfileMasking() {
    }

    static Profile profile(Profile p) {
        return new Profile(p.customerId(), Masking.name(p.firstName()), Masking.name(p.lastName()), Masking.email(p.email()),
                Masking.email(p.emailNormalized()), Masking.phone(p.phone()), Masking.phone(p.phoneE164()), null, p.age(),
                p.gender(), p.city(), p.state(), null, p.countryCode(), p.segment(), Masking.number(p.loyaltyCard()),
                p.preferences(), p.consents(), p.identities().stream().map(ProfileMasking::identity).toList(), p.facts(),
                p.qualityIssues() == null ? null : p.qualityIssues().stream().map(issue -> new Profile.QualityIssue(
                        issue.field(), Masking.hidden(issue.value()), issue.problem(), issue.source(), issue.occurredAt())).toList(),
                p.createdAt(), p.updatedAt(), p.lastSeenAt());
    }

    static Page<ProfileSummary> summaries(Page<ProfileSummary> page) {
        List<ProfileSummary> items = page.items().stream().map(s -> new ProfileSummary(s.customerId(), Masking.name(s.firstName()),
                Masking.name(s.lastName()), Masking.email(s.email()), s.city(), s.countryCode(), s.segment(), s.updatedAt())).toList();
        return new Page<>(items, page.next());
    }

    private static Identity identity(Identity identity) {
        return switch (identity.type()) {
            case email -> new Identity(identity.type(), Masking.email(identity.value()));
            case phone -> new Identity(identity.type(), Masking.phone(identity.value()));
            case loyaltyCard -> new Identity(identity.type(), Masking.number(identity.value()));
            case userId, anonymousId -> identity;
        };
    }
}
