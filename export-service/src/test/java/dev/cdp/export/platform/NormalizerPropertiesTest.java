package dev.cdp.export.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdp.export.platform.Normalized.Status;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a customer typed, every platform's normalizer answers (never throws), and what it answers is final:
 * normalizing a normalized value again changes nothing, so a value normalized twice on its way (a file re-read, a sync
 * retried) still hashes to what the platform matches on.
 */
class NormalizerPropertiesTest {

    /** The text normalizers whose output is a normalized input of their own. */
    private static final Map<String, UnaryOperator<String>> TEXT = Map.ofEntries(
            Map.entry("Meta email", raw -> value(MetaNormalizers.email(raw))),
            Map.entry("Meta first name", raw -> value(MetaNormalizers.firstName(raw))),
            Map.entry("Meta last name", raw -> value(MetaNormalizers.lastName(raw))),
            Map.entry("Meta city", raw -> value(MetaNormalizers.city(raw))),
            Map.entry("Meta state", raw -> value(MetaNormalizers.state(raw, "US"))),
            Map.entry("Meta zip", raw -> value(MetaNormalizers.zip(raw, "US"))),
            Map.entry("Meta country", raw -> value(MetaNormalizers.country(raw))),
            Map.entry("Meta gender", raw -> value(MetaNormalizers.gender(raw))),
            Map.entry("Google email", raw -> value(GoogleNormalizers.email(raw))),
            Map.entry("Google first name", raw -> value(GoogleNormalizers.firstName(raw))),
            Map.entry("Google last name", raw -> value(GoogleNormalizers.lastName(raw))),
            Map.entry("Google country", raw -> value(GoogleNormalizers.country(raw))),
            Map.entry("Google zip", raw -> value(GoogleNormalizers.zip(raw, "US"))),
            Map.entry("TikTok email", raw -> value(TikTokNormalizers.email(raw))));

    @Property(tries = 300)
    void everyTextNormalizerAnswersAndIsFinal(@ForAll("typed") String raw) {
        TEXT.forEach((name, normalizer) -> {
            String once = normalizer.apply(raw);
            if (once != null) {
                assertThat(normalizer.apply(once)).as("%s of %s", name, once).isEqualTo(once);
            }
        });
    }

    @Property(tries = 300)
    void phonesAreDigitsOfAValidNumberOrLeftOut(@ForAll("phones") String raw, @ForAll("countries") String country) {
        for (Normalized phone : List.of(MetaNormalizers.phone(raw, country), GoogleNormalizers.phone(raw, country),
                TikTokNormalizers.phone(raw, country), TikTokNormalizers.phoneWithPlus(raw, country))) {
            if (phone.status() == Status.VALUE) {
                // digits only, no leading zero; libphonenumber's metadata allows some national plans (Germany's) a 16th digit
                assertThat(phone.value()).matches("\\+?[1-9][0-9]{5,16}");
            }
        }
    }

    /** What people type into a form: any characters, the confusable and invisible ones weighted up. */
    @Provide
    Arbitrary<String> typed() {
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(80);
        Arbitrary<String> tricky = Arbitraries.strings()
                .withChars("aAıIİiŞşĞğÜüÖöÇçßẞ@.+-_ '\u00a0\u200b\ufeff\u0307\u0130\u212a0123456789".toCharArray())
                .ofMaxLength(40);
        return Arbitraries.oneOf(anything, tricky, tricky.map(local -> local + "@Example.COM"));
    }

    @Provide
    Arbitrary<String> phones() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("+0123456789 ()-.".toCharArray()).ofMaxLength(24),
                Arbitraries.strings().all().ofMaxLength(30));
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("TR", "US", "DE", "GB", "AZ", "", "XX", "tr");
    }

    private static String value(Normalized normalized) {
        return normalized.status() == Status.VALUE ? normalized.value() : null;
    }
}
