package dev.cdp.export.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.cdp.events.PhoneNumbers;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules around the spec's vectors: blanks, invalid values, pre-hashed input and the decided ambiguities. */
class NormalizersTest {

    private static final String HASH = "488CA96571B758C820FFAC1386D6489AD489A3AC98FCB28E1287D4B4FFEA0E4F";

    @Test
    void blankValuesAreAbsentEverywhere() {
        for (String blank : new String[] {null, "", "   ", "\t\n", "\u00a0", "\u200b\ufeff"}) {
            assertThat(MetaNormalizers.email(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.phone(blank, "TR")).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.firstName(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.firstInitial(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.city(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.state(blank, "US")).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.zip(blank, "US")).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.country(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.gender(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.mobileAdvertiserId(blank)).isEqualTo(Normalized.absent());
            assertThat(MetaNormalizers.externalId(blank)).isEqualTo(Normalized.absent());
            assertThat(GoogleNormalizers.email(blank)).isEqualTo(Normalized.absent());
            assertThat(GoogleNormalizers.lastName(blank)).isEqualTo(Normalized.absent());
            assertThat(GoogleNormalizers.country(blank)).isEqualTo(Normalized.absent());
            assertThat(GoogleNormalizers.zip(blank, "TR")).isEqualTo(Normalized.absent());
            assertThat(TikTokNormalizers.emailStrict(blank)).isEqualTo(Normalized.absent());
            assertThat(TikTokNormalizers.phoneWithPlus(blank, null)).isEqualTo(Normalized.absent());
            assertThat(TikTokNormalizers.mobileAdvertiserId(blank)).isEqualTo(Normalized.absent());
        }
        assertThat(MetaNormalizers.birthYear(null)).isEqualTo(Normalized.absent());
        assertThat(MetaNormalizers.externalId((UUID) null)).isEqualTo(Normalized.absent());
    }

    @Test
    void normalizedNeverCarriesAnEmptyValue() {
        assertThatThrownBy(() -> Normalized.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Normalized.prehashed("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Normalized(Normalized.Status.INVALID, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Normalized.prehashed("not-a-hash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Normalized(Normalized.Status.PREHASHED, HASH)).as("upper case")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Normalized.prehashed(HASH).value()).isEqualTo(HASH.toLowerCase());
    }

    @Test
    void sha256HexPassesThroughLowerCased() {
        Normalized expected = Normalized.prehashed(HASH.toLowerCase());
        assertThat(MetaNormalizers.email(" " + HASH + " ")).isEqualTo(expected);
        assertThat(MetaNormalizers.phone(HASH, "TR")).isEqualTo(expected);
        assertThat(MetaNormalizers.firstName(HASH)).isEqualTo(expected);
        assertThat(MetaNormalizers.city(HASH)).isEqualTo(expected);
        assertThat(GoogleNormalizers.email(HASH)).isEqualTo(expected);
        assertThat(GoogleNormalizers.phone(HASH, null)).isEqualTo(expected);
        assertThat(GoogleNormalizers.firstName(HASH)).isEqualTo(expected);
        assertThat(TikTokNormalizers.emailStrict(HASH)).isEqualTo(expected);
        assertThat(TikTokNormalizers.phone(HASH, null)).isEqualTo(expected);
        // 63 or 65 hex digits are not a hash: an ordinary (here invalid) value.
        assertThat(MetaNormalizers.email(HASH.substring(1)).status()).isEqualTo(Normalized.Status.INVALID);
    }

    @Test
    void emails() {
        assertThat(MetaNormalizers.email("no-at-sign").isInvalid()).isTrue();
        assertThat(MetaNormalizers.email("@example.com").isInvalid()).isTrue();
        assertThat(MetaNormalizers.email("someone@").isInvalid()).isTrue();
        // NFKC: full-width letters and the full-width @ become ASCII.
        assertThat(MetaNormalizers.email("ＡＹＳＥ＠example.com").value()).isEqualTo("ayse@example.com");
        assertThat(MetaNormalizers.email("IŞIK@Example.com").value()).isEqualTo("işik@example.com");
        // Google: white space removed inside too; dots and +tag only for gmail and googlemail.
        assertThat(GoogleNormalizers.email(" Jo hn.S@Example.com ").value()).isEqualTo("john.s@example.com");
        assertThat(GoogleNormalizers.email("cloudy.sanfrancisco+shopping@gmail.com").value())
                .isEqualTo("cloudysanfrancisco@gmail.com");
        assertThat(GoogleNormalizers.email("a.b+c@GoogleMail.com").value()).isEqualTo("ab@googlemail.com");
        assertThat(GoogleNormalizers.email("user.name+NYC@Example.com").value()).isEqualTo("user.name+nyc@example.com");
        assertThat(GoogleNormalizers.email("+tag@gmail.com").isInvalid()).isTrue();
        assertThat(TikTokNormalizers.emailStrict("a.b+c@example.com").value()).isEqualTo("ab@example.com");
        assertThat(TikTokNormalizers.emailStrict("+c@example.com").isInvalid()).isTrue();
    }

    @Test
    void phones() {
        assertThat(MetaNormalizers.phone("0532 123 45 67", null).value()).as("no country: read in TR").isEqualTo("905321234567");
        assertThat(MetaNormalizers.phone("0090 532 123 45 67", "TR").value()).isEqualTo("905321234567");
        assertThat(MetaNormalizers.phone("(650) 555-1212", "US").value()).isEqualTo("16505551212");
        assertThat(MetaNormalizers.phone("+44 20 7183 8750", "TR").value()).as("an explicit code wins").isEqualTo("442071838750");
        assertThat(MetaNormalizers.phone("0532 123 45 67", "Türkiye").value()).as("a country name").isEqualTo("905321234567");
        assertThat(MetaNormalizers.phone("0532 123 45 67", "XX").value()).as("unknown country: TR").isEqualTo("905321234567");
        assertThat(GoogleNormalizers.phone("(800)555-0100", "US").value()).isEqualTo("+18005550100");

        assertThat(MetaNormalizers.phone("123", "TR").isInvalid()).isTrue();
        assertThat(MetaNormalizers.phone("not a phone", "TR").isInvalid()).isTrue();
        assertThat(MetaNormalizers.phone("0532 123 45", "TR").isInvalid()).as("too short").isTrue();
        assertThat(MetaNormalizers.phone("+1 555 0100", "US").isInvalid()).isTrue();
        assertThat(TikTokNormalizers.phoneWithPlus("999", null).isInvalid()).isTrue();
    }

    /**
     * A phone a profile holds is in E.164 and was valid when profile-service stored it, so it is taken as it is: even a
     * number today's metadata would refuse. Anything else is read and checked by the full rule.
     */
    @Test
    void phonesProfilesHoldAreTakenAsTheyAre() {
        assertThat(Phones.held("+905321234567", "TR").value()).isEqualTo("+905321234567");
        assertThat(MetaNormalizers.phone(Phones.held("+905321234567", "TR")).value()).isEqualTo("905321234567");
        assertThat(MetaNormalizers.phone("+1 555 0100", "US").isInvalid()).as("checked when typed").isTrue();
        assertThat(Phones.held("+15550100", "US").value()).as("held: not checked again").isEqualTo("+15550100");
        assertThat(Phones.held("0532 123 45 67", "TR").value()).as("typed: read by the full rule").isEqualTo("+905321234567");
        assertThat(Phones.held("0532 123 45", "TR").isInvalid()).isTrue();
        assertThat(Phones.held("  ", "TR")).isEqualTo(Normalized.absent());
        assertThat(Phones.held(HASH, "TR").isPrehashed()).isTrue();
    }

    /** Numbers already in E.164 skip the parse; what comes out must be what the parse gives, valid or not. */
    @Test
    void numbersAlreadyInE164GiveWhatTheParseGives() {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        for (String e164 : List.of("+905321234567", "+902123456789", "+16505551212", "+442071838750", "+4915123456789", "+971501234567",
                "+8613912345678", "+79161234567", "+97721234567", "+80012345678", "+905321234", "+9053212345678", "+15550100", "+999123456789",
                "+12345678", "+390612345678", "+3906123456", "+9990000000")) {
            Normalized expected;
            try {
                PhoneNumber parsed = phones.parse(e164, "TR");
                expected = phones.isValidNumber(parsed) ? Normalized.of(phones.format(parsed, PhoneNumberFormat.E164)) : Normalized.invalid();
            } catch (NumberParseException e) {
                expected = Normalized.invalid();
            }
            assertThat(Phones.e164(e164, "TR")).as(e164).isEqualTo(expected);
        }
        assertThat(PhoneNumbers.validE164("+905321234567")).as("the fast path is taken").isNotNull();
        assertThat(PhoneNumbers.validE164("+390612345678")).as("a national number with a leading zero is parsed").isNull();
        assertThat(PhoneNumbers.validE164("+90 532 123 45 67")).isNull();
        assertThat(PhoneNumbers.validE164("05321234567")).isNull();
    }

    @Test
    void metaNames() {
        assertThat(MetaNormalizers.firstName("Mary Ann").value()).as("spaces removed").isEqualTo("maryann");
        assertThat(MetaNormalizers.firstName("İBRAHİM").value()).isEqualTo("ibrahim");
        assertThat(MetaNormalizers.lastName("Yılmaz").value()).isEqualTo("yilmaz");
        assertThat(MetaNormalizers.lastName("Straße").value()).isEqualTo("strasse");
        assertThat(MetaNormalizers.lastName("Ørsted").value()).isEqualTo("orsted");
        // NFD input (as some macOS forms send it) gives the same as NFC.
        assertThat(MetaNormalizers.firstName(Normalizer.normalize("Şükrü", Normalizer.Form.NFD)).value()).isEqualTo("sukru");
        assertThat(MetaNormalizers.nameUtf8(Normalizer.normalize("Şükrü", Normalizer.Form.NFD)).value()).isEqualTo("şükrü");
        // Another script has no Roman spelling here: its letters go in UTF-8 rather than nothing.
        assertThat(MetaNormalizers.firstName("Иван").value()).isEqualTo("иван");
        assertThat(MetaNormalizers.firstName("123 !!").isInvalid()).isTrue();
        assertThat(MetaNormalizers.firstInitial("  Ayşe").value()).isEqualTo("a");
        assertThat(MetaNormalizers.firstInitial("Иван").value()).isEqualTo("и");
        assertThat(MetaNormalizers.firstInitial(HASH).isInvalid()).as("no initial of a hash").isTrue();
    }

    @Test
    void googleNames() {
        assertThat(GoogleNormalizers.firstName("  Mary   Ann ").value()).isEqualTo("mary ann");
        assertThat(GoogleNormalizers.lastName("Yılmaz").value()).as("ı kept").isEqualTo("yılmaz");
        assertThat(GoogleNormalizers.lastName("İNCE").value()).isEqualTo("ince");
        assertThat(GoogleNormalizers.lastName("Öztürk").value()).isEqualTo("öztürk");
        assertThat(GoogleNormalizers.firstName(Normalizer.normalize("Zoë", Normalizer.Form.NFD)).value()).isEqualTo("zoë");
        assertThat(GoogleNormalizers.lastName("--").isInvalid()).isTrue();
    }

    @Test
    void metaLocation() {
        assertThat(MetaNormalizers.city("Çanakkale").value()).isEqualTo("canakkale");
        assertThat(MetaNormalizers.city("St. Louis").value()).isEqualTo("stlouis");
        assertThat(MetaNormalizers.state("CA", "US").value()).isEqualTo("ca");
        assertThat(MetaNormalizers.state("New York", "US").value()).isEqualTo("ny");
        assertThat(MetaNormalizers.state("California", null).value()).isEqualTo("ca");
        assertThat(MetaNormalizers.state("Georgia", "GE").value()).as("not the US state elsewhere").isEqualTo("georgia");
        assertThat(MetaNormalizers.state("Kahramanmaraş", "TR").value()).isEqualTo("kahramanmaras");
        assertThat(MetaNormalizers.zip("94043", "US").value()).isEqualTo("94043");
        assertThat(MetaNormalizers.zip("9404", "US").isInvalid()).isTrue();
        assertThat(MetaNormalizers.zip("SW1A 1AA", "GB").value()).isEqualTo("sw1a1aa");
        assertThat(MetaNormalizers.zip("94043-1351", null).value()).as("the US cut needs the country").isEqualTo("940431351");
        assertThat(MetaNormalizers.country("TUR").value()).isEqualTo("tr");
        assertThat(MetaNormalizers.country("tr").value()).isEqualTo("tr");
        assertThat(MetaNormalizers.country("Germany").value()).isEqualTo("de");
        assertThat(MetaNormalizers.country("Narnia").isInvalid()).isTrue();
    }

    @Test
    void googleAddress() {
        assertThat(GoogleNormalizers.country("tr").value()).isEqualTo("TR");
        assertThat(GoogleNormalizers.country("USA").value()).isEqualTo("US");
        assertThat(GoogleNormalizers.country("Atlantis").isInvalid()).isTrue();
        assertThat(GoogleNormalizers.zip("94043", "US").value()).isEqualTo("94043");
        assertThat(GoogleNormalizers.zip("94043 1351", "US").value()).isEqualTo("94043-1351");
        assertThat(GoogleNormalizers.zip("940431351", "US").value()).isEqualTo("94043-1351");
        assertThat(GoogleNormalizers.zip("9404", "US").isInvalid()).isTrue();
        assertThat(GoogleNormalizers.zip("wc2h  8lg", "GB").value()).isEqualTo("WC2H 8LG");
        assertThat(GoogleNormalizers.zip("34 710", "TR").value()).isEqualTo("34710");
        assertThat(GoogleNormalizers.zip("00-950", "PL").value()).isEqualTo("00-950");
        assertThat(GoogleNormalizers.zip("34710,\"x\"", "TR").isInvalid()).as("nothing a CSV would have to quote").isTrue();
    }

    @Test
    void datesOfBirth() {
        LocalDate date = LocalDate.of(1990, 3, 7);
        assertThat(MetaNormalizers.dateOfBirth(date).value()).isEqualTo("19900307");
        assertThat(MetaNormalizers.birthYear(date).value()).isEqualTo("1990");
        assertThat(MetaNormalizers.birthMonth(LocalDate.of(1990, 12, 31)).value()).isEqualTo("12");
        assertThat(MetaNormalizers.birthDay(LocalDate.of(1990, 12, 31)).value()).isEqualTo("31");
        assertThat(MetaNormalizers.birthYear(LocalDate.of(1899, 12, 31)).isInvalid()).isTrue();
        assertThat(MetaNormalizers.birthYear(LocalDate.now().plusYears(2)).isInvalid()).isTrue();
    }

    @Test
    void genders() {
        for (String male : new String[] {"M", "male", "Erkek", "ERKEK", "e", "Male "}) {
            assertThat(MetaNormalizers.gender(male).value()).as(male).isEqualTo("m");
        }
        for (String female : new String[] {"F", "female", "Kadın", "KADIN", "kadin", "K"}) {
            assertThat(MetaNormalizers.gender(female).value()).as(female).isEqualTo("f");
        }
        assertThat(MetaNormalizers.gender("other").isInvalid()).isTrue();
        assertThat(MetaNormalizers.gender("unknown").isInvalid()).isTrue();
    }

    @Test
    void idsInClear() {
        UUID id = UUID.fromString("3F2504E0-4F89-11D3-9A0C-0305E82C3301");
        assertThat(MetaNormalizers.externalId(id).value()).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assertThat(MetaNormalizers.externalId(" CUST-1 ").value()).isEqualTo("CUST-1");
        assertThat(GoogleNormalizers.userId(" CUST-1 ").value()).isEqualTo("CUST-1");
        assertThat(TikTokNormalizers.eventsExternalId(" CUST-İ1 ").value()).isEqualTo("cust-i1");
    }
}
