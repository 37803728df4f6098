package dev.cdp.export.file;

import static dev.cdp.export.platform.Identifier.EMAIL;
import static dev.cdp.export.platform.Identifier.PHONE;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Normalized;
import dev.cdp.export.platform.Phones;
import dev.cdp.export.platform.Platform;
import dev.cdp.export.platform.TikTokNormalizers;
import dev.cdp.export.platform.Identifier;
import java.util.List;
import java.util.Set;

/**
 * TikTok multi-ID customer file (upload as {@code MULTIPLE_TYPES}):
 * {@code Email_SHA256,Email_SHA256,Phone_SHA256,Phone_SHA256}, each header twice because TikTok's help pages disagree
 * and a header may appear up to three times. The first email column is always the trimmed, lower-cased email; the
 * second the strict variant ({@code +tag} and dots removed), empty when it equals the first. The first phone column is
 * E.164 digits without {@code +}; the second E.164 with {@code +}. A pre-hashed value goes in the first column only.
 * No MAID columns: profiles hold no mobile advertiser ids. A row needs an email or a valid phone.
 */
final class TikTokRows extends AudienceRows {

    static final List<String> HEADER = List.of("Email_SHA256", "Email_SHA256", "Phone_SHA256", "Phone_SHA256");

    TikTokRows(Set<Identifier> selected) {
        super(Platform.TIKTOK, HEADER, List.of(EMAIL, EMAIL, PHONE, PHONE), selected);
    }

    @Override
    boolean fill(AudienceMember member, String[] cells) {
        Normalized email = checked(EMAIL, TikTokNormalizers.email(member.email()));
        // Parsed once; both phone columns derive from it.
        Normalized phoneWithPlus = checked(PHONE, Phones.held(member.phone(), member.countryCode()));
        if (!email.isPresent() && !phoneWithPlus.isPresent()) {
            return false;
        }
        cells[0] = hasher.sha256(email);
        if (email.isPresent() && !email.isPrehashed()) {
            Normalized strict = TikTokNormalizers.emailStrict(member.email());
            if (strict.isPresent() && !strict.value().equals(email.value())) {
                cells[1] = hasher.sha256(strict);
            }
        }
        cells[2] = hasher.sha256(Phones.digits(phoneWithPlus));
        if (!phoneWithPlus.isPrehashed()) {
            cells[3] = hasher.sha256(phoneWithPlus);
        }
        return true;
    }
}
