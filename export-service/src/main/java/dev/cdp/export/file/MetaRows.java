package dev.cdp.export.file;

import static dev.cdp.export.platform.Identifier.BIRTH_YEAR;
import static dev.cdp.export.platform.Identifier.CITY;
import static dev.cdp.export.platform.Identifier.COUNTRY;
import static dev.cdp.export.platform.Identifier.EMAIL;
import static dev.cdp.export.platform.Identifier.FIRST_NAME;
import static dev.cdp.export.platform.Identifier.GENDER;
import static dev.cdp.export.platform.Identifier.LAST_NAME;
import static dev.cdp.export.platform.Identifier.PHONE;
import static dev.cdp.export.platform.Identifier.STATE;
import static dev.cdp.export.platform.Identifier.ZIP;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.MetaNormalizers;
import dev.cdp.export.platform.Normalized;
import dev.cdp.export.platform.Phones;
import dev.cdp.export.platform.Platform;
import dev.cdp.export.platform.Identifier;
import java.util.List;
import java.util.Set;

/**
 * Meta's customer-list file, pre-hashed: the template's column names ({@code email,phone,fn,ln,zip,ct,st,country,
 * doby,gen}, a subset of the template in its order) with lower-case hex SHA-256 of the API normalization in every
 * cell. Left out on purpose: {@code madid} (profiles have none), {@code dob} (Meta splits a full date into
 * DOBY/DOBM/DOBD itself, which it cannot do with a hash; {@code doby} is the one date key the template has),
 * {@code age}, {@code uid} (Facebook app user ids, not ours), {@code value} (not a value-based list). The template
 * has no column for EXTERN_ID, so our customer id is for the API path only ({@link MetaNormalizers#externalId}).
 *
 * <p>A row needs an email or a valid phone, or a full name with zip and country; a name alone does not identify
 * anyone.
 */
final class MetaRows extends AudienceRows {

    static final List<String> HEADER = List.of("email", "phone", "fn", "ln", "zip", "ct", "st", "country", "doby", "gen");

    MetaRows(Set<Identifier> selected) {
        super(Platform.META, HEADER,
                List.of(EMAIL, PHONE, FIRST_NAME, LAST_NAME, ZIP, CITY, STATE, COUNTRY, BIRTH_YEAR, GENDER), selected);
    }

    @Override
    boolean fill(AudienceMember member, String[] cells) {
        String countryCode = member.countryCode();
        Normalized email = checked(EMAIL, MetaNormalizers.email(member.email()));
        Normalized phone = checked(PHONE, MetaNormalizers.phone(Phones.held(member.phone(), countryCode)));
        Normalized firstName = checked(FIRST_NAME, MetaNormalizers.firstName(member.firstName()));
        Normalized lastName = checked(LAST_NAME, MetaNormalizers.lastName(member.lastName()));
        Normalized zip = checked(ZIP, MetaNormalizers.zip(member.postalCode(), countryCode));
        Normalized city = checked(CITY, MetaNormalizers.city(member.city()));
        Normalized state = checked(STATE, MetaNormalizers.state(member.state(), countryCode));
        Normalized country = checked(COUNTRY, MetaNormalizers.country(countryCode));
        Normalized birthYear = checked(BIRTH_YEAR, MetaNormalizers.birthYear(member.birthDate()));
        Normalized gender = checked(GENDER, MetaNormalizers.gender(member.gender()));

        boolean nameAndAddress = firstName.isPresent() && lastName.isPresent() && zip.isPresent() && country.isPresent();
        if (!email.isPresent() && !phone.isPresent() && !nameAndAddress) {
            return false;
        }
        cells[0] = hasher.sha256(email);
        cells[1] = hasher.sha256(phone);
        cells[2] = hasher.sha256(firstName);
        cells[3] = hasher.sha256(lastName);
        cells[4] = hasher.sha256(zip);
        cells[5] = hasher.sha256(city);
        cells[6] = hasher.sha256(state);
        cells[7] = hasher.sha256(country);
        cells[8] = hasher.sha256(birthYear);
        cells[9] = hasher.sha256(gender);
        return true;
    }
}
