package dev.cdp.export.file;

import static dev.cdp.export.platform.Identifier.COUNTRY;
import static dev.cdp.export.platform.Identifier.EMAIL;
import static dev.cdp.export.platform.Identifier.FIRST_NAME;
import static dev.cdp.export.platform.Identifier.LAST_NAME;
import static dev.cdp.export.platform.Identifier.PHONE;
import static dev.cdp.export.platform.Identifier.ZIP;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.GoogleNormalizers;
import dev.cdp.export.platform.Normalized;
import dev.cdp.export.platform.Phones;
import dev.cdp.export.platform.Platform;
import dev.cdp.export.platform.Identifier;
import java.util.List;
import java.util.Set;

/**
 * Google Customer Match contact-info file, hashed: {@code Email,Phone,First Name,Last Name,Country,Zip} (the template's
 * English headers). Email, phone and names are lower-case hex SHA-256; Country and Zip stay in clear, as Google
 * requires.
 *
 * <p>The address is all or nothing: Google matches on first name, last name, country and zip together only, so the
 * four cells are filled only when all four are usable. A row needs an email, a valid phone or that full address.
 */
final class GoogleRows extends AudienceRows {

    static final List<String> HEADER = List.of("Email", "Phone", "First Name", "Last Name", "Country", "Zip");

    GoogleRows(Set<Identifier> selected) {
        super(Platform.GOOGLE, HEADER, List.of(EMAIL, PHONE, FIRST_NAME, LAST_NAME, COUNTRY, ZIP), selected);
    }

    @Override
    boolean fill(AudienceMember member, String[] cells) {
        String countryCode = member.countryCode();
        Normalized email = checked(EMAIL, GoogleNormalizers.email(member.email()));
        // Google's phoneNumber is the E.164 number itself (GoogleNormalizers.phone), here as the profile holds it.
        Normalized phone = checked(PHONE, Phones.held(member.phone(), countryCode));
        Normalized firstName = checked(FIRST_NAME, GoogleNormalizers.firstName(member.firstName()));
        Normalized lastName = checked(LAST_NAME, GoogleNormalizers.lastName(member.lastName()));
        Normalized country = checked(COUNTRY, GoogleNormalizers.country(countryCode));
        Normalized zip = checked(ZIP, GoogleNormalizers.zip(member.postalCode(), countryCode));

        boolean address = firstName.isPresent() && lastName.isPresent() && country.isPresent() && zip.isPresent();
        if (!email.isPresent() && !phone.isPresent() && !address) {
            return false;
        }
        cells[0] = hasher.sha256(email);
        cells[1] = hasher.sha256(phone);
        if (address) {
            cells[2] = hasher.sha256(firstName);
            cells[3] = hasher.sha256(lastName);
            cells[4] = country.value();
            cells[5] = zip.value();
        }
        return true;
    }
}
