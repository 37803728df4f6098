package dev.cdp.export.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cdp.export.hash.Hasher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of the shared test vectors ({@code ad-platform-vectors.tsv}, copied from the spec) as its own test case.
 * Plain rows: our normalizer gives exactly the normalized string and its hash. Rows marked WRONG are what buggy SDKs
 * produce: ours must differ. Rows marked alt are the alternative a platform's docs also allow: our variant method for
 * it gives exactly that row, and the primary method (what files carry first) gives something else.
 *
 * <p>A second surefire execution runs this class in a JVM started with a Turkish default locale.
 */
class AdPlatformVectorsTest {

    private static final String VECTORS = "/ad-platform-vectors.tsv";
    private static final Pattern COUNTRY_NOTE = Pattern.compile("\\s*\\[country=([A-Z]{2})]$");
    private static final Pattern TRAILING_NOTE = Pattern.compile("^(.*\\S) \\(([^()]*)\\)$");
    private static final Pattern ALT = Pattern.compile("\\balt\\b");
    private static final DateTimeFormatter TURKISH_DATE = DateTimeFormatter.ofPattern("dd.MM.uuuu");

    /** The raw value of a vector, with the context its notes give (the customer's country). */
    record Input(String raw, String country) {

        LocalDate date() {
            return LocalDate.parse(raw, TURKISH_DATE);
        }
    }

    /** How one field of the TSV is produced: the method files use, and the variant method an alt row describes. */
    record Mapping(Function<Input, Normalized> primary, Function<Input, Normalized> variant) {

        static Mapping of(Function<Input, Normalized> primary) {
            return new Mapping(primary, null);
        }

        static Mapping alt(Function<Input, Normalized> primary, Function<Input, Normalized> variant) {
            return new Mapping(primary, variant);
        }
    }

    record Vector(int line, String platform, String field, String rawEscaped, String normalized, String hashKind,
            String hash) {

        boolean wrong() {
            return field.contains("WRONG");
        }

        boolean alt() {
            return ALT.matcher(field).find();
        }

        @Override
        public String toString() {
            return "line " + line + ": " + platform + " " + field + " <" + rawEscaped + ">";
        }
    }

    private static final Function<Input, Normalized> META_FN = in -> MetaNormalizers.firstName(in.raw());
    private static final Function<Input, Normalized> META_LN = in -> MetaNormalizers.lastName(in.raw());
    private static final Function<Input, Normalized> META_NAME_UTF8 = in -> MetaNormalizers.nameUtf8(in.raw());
    private static final Function<Input, Normalized> TIKTOK_PHONE = in -> TikTokNormalizers.phone(in.raw(), in.country());

    /** Keyed by platform and field exactly as the TSV writes them: a new field fails until it is mapped here. */
    private static final Map<String, Mapping> MAPPINGS = Map.ofEntries(
            Map.entry("META|EMAIL", Mapping.of(in -> MetaNormalizers.email(in.raw()))),
            Map.entry("META|PHONE", Mapping.of(in -> MetaNormalizers.phone(in.raw(), in.country()))),
            Map.entry("META|FN (recommended: Roman/ASCII transliteration)", Mapping.of(META_FN)),
            Map.entry("META|FN (alt: UTF-8 kept, Meta CAPI 'valéry' style)", Mapping.alt(META_FN, META_NAME_UTF8)),
            Map.entry("META|FN (WRONG: facebook-python-business-sdk normalize_key)", Mapping.of(META_FN)),
            Map.entry("META|LN (recommended: Roman/ASCII transliteration)", Mapping.of(META_LN)),
            Map.entry("META|LN (alt: UTF-8 kept, Meta CAPI 'valéry' style)", Mapping.alt(META_LN, META_NAME_UTF8)),
            Map.entry("META|LN (WRONG: facebook-python-business-sdk normalize_key)", Mapping.of(META_LN)),
            Map.entry("META|FI", Mapping.of(in -> MetaNormalizers.firstInitial(in.raw()))),
            Map.entry("META|CT", Mapping.of(in -> MetaNormalizers.city(in.raw()))),
            Map.entry("META|ST", Mapping.of(in -> MetaNormalizers.state(in.raw(), in.country()))),
            Map.entry("META|ZIP", Mapping.of(in -> MetaNormalizers.zip(in.raw(), in.country()))),
            Map.entry("META|COUNTRY", Mapping.of(in -> MetaNormalizers.country(in.raw()))),
            Map.entry("META|DOBY", Mapping.of(in -> MetaNormalizers.birthYear(in.date()))),
            Map.entry("META|DOBM", Mapping.of(in -> MetaNormalizers.birthMonth(in.date()))),
            Map.entry("META|DOBD", Mapping.of(in -> MetaNormalizers.birthDay(in.date()))),
            Map.entry("META|GEN", Mapping.of(in -> MetaNormalizers.gender(in.raw()))),
            Map.entry("META|MADID (NOT hashed)", Mapping.of(in -> MetaNormalizers.mobileAdvertiserId(in.raw()))),
            Map.entry("META|EXTERN_ID (NOT hashed)", Mapping.of(in -> MetaNormalizers.externalId(in.raw()))),
            Map.entry("META_CAPI|db (CAPI date of birth)", Mapping.of(in -> MetaNormalizers.dateOfBirth(in.date()))),
            Map.entry("GOOGLE|email (Data Manager / Customer Match)", Mapping.of(in -> GoogleNormalizers.email(in.raw()))),
            Map.entry("GOOGLE|phone (E.164 with +)", Mapping.of(in -> GoogleNormalizers.phone(in.raw(), in.country()))),
            Map.entry("GOOGLE|given_name / First Name", Mapping.of(in -> GoogleNormalizers.firstName(in.raw()))),
            Map.entry("GOOGLE|family_name / Last Name", Mapping.of(in -> GoogleNormalizers.lastName(in.raw()))),
            Map.entry("GOOGLE|region_code / Country (NOT hashed)", Mapping.of(in -> GoogleNormalizers.country(in.raw()))),
            Map.entry("GOOGLE|postal_code / Zip (NOT hashed)", Mapping.of(in -> GoogleNormalizers.zip(in.raw(), in.country()))),
            Map.entry("GOOGLE|postal_code / Zip (NOT hashed; US 5 or 5+4)",
                    Mapping.of(in -> GoogleNormalizers.zip(in.raw(), in.country()))),
            Map.entry("GOOGLE|Mobile Device ID (NOT hashed)", Mapping.of(in -> GoogleNormalizers.mobileDeviceId(in.raw()))),
            Map.entry("TIKTOK|EMAIL_SHA256 (min: trim+lowercase)", Mapping.of(in -> TikTokNormalizers.email(in.raw()))),
            Map.entry("TIKTOK|EMAIL_SHA256 (strict: -'+tag', -'.' in local part)",
                    Mapping.of(in -> TikTokNormalizers.emailStrict(in.raw()))),
            Map.entry("TIKTOK|PHONE_SHA256 file (digits, no +)", Mapping.of(TIKTOK_PHONE)),
            Map.entry("TIKTOK|PHONE_SHA256 alt / Events API (E.164 with +)",
                    Mapping.alt(TIKTOK_PHONE, in -> TikTokNormalizers.phoneWithPlus(in.raw(), in.country()))),
            Map.entry("TIKTOK|MAID_SHA256 (lowercase)", Mapping.of(in -> TikTokNormalizers.mobileAdvertiserId(in.raw()))),
            Map.entry("TIKTOK|MAID_MD5 (lowercase)", Mapping.of(in -> TikTokNormalizers.mobileAdvertiserId(in.raw()))),
            Map.entry("TIKTOK_EVENTS|external_id (trim+lowercase)",
                    Mapping.of(in -> TikTokNormalizers.eventsExternalId(in.raw()))));

    private final Hasher hasher = new Hasher();

    static Stream<Vector> vectors() throws IOException {
        List<Vector> vectors = new ArrayList<>();
        try (InputStream in = AdPlatformVectorsTest.class.getResourceAsStream(VECTORS)) {
            assertThat(in).as(VECTORS).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = reader.readLine();
            assertThat(line).isEqualTo("platform\tfield\traw_json_escaped\tnormalized\thash_kind\thash");
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                assertThat(columns).as("line %d", number).hasSize(6);
                vectors.add(new Vector(number, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]));
            }
        }
        // The spec had 95 vectors: fewer means a truncated copy.
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(95);
        return vectors.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(Vector vector) {
        Mapping mapping = MAPPINGS.get(vector.platform() + "|" + vector.field());
        if (mapping == null) {
            fail("no normalizer mapped for %s|%s: decide what the row means and add it", vector.platform(), vector.field());
        }
        for (Input input : inputs(vector.rawEscaped())) {
            if (vector.wrong()) {
                assertDiffers(vector, mapping.primary().apply(input));
            } else if (vector.alt()) {
                assertThat(mapping.variant()).as("alt row needs a variant method").isNotNull();
                assertMatches(vector, mapping.variant().apply(input));
                assertDiffers(vector, mapping.primary().apply(input));
            } else {
                assertMatches(vector, mapping.primary().apply(input));
            }
        }
    }

    private void assertMatches(Vector vector, Normalized actual) {
        assertThat(actual.status()).as(vector.toString()).isEqualTo(Normalized.Status.VALUE);
        assertThat(actual.value()).as(vector.toString()).isEqualTo(vector.normalized());
        switch (vector.hashKind()) {
            case "sha256" -> {
                assertThat(hasher.sha256(actual)).as(vector.toString()).isEqualTo(vector.hash());
                assertThat(DigestUtils.sha256Hex(actual.value())).as("spec hash cross-check").isEqualTo(vector.hash());
            }
            case "md5" -> {
                assertThat(hasher.md5(actual)).as(vector.toString()).isEqualTo(vector.hash());
                assertThat(DigestUtils.md5Hex(actual.value())).as("spec hash cross-check").isEqualTo(vector.hash());
            }
            case "plain" -> assertThat(vector.hash()).isEqualTo("(sent in clear)");
            default -> fail("unknown hash kind %s", vector.hashKind());
        }
    }

    private void assertDiffers(Vector vector, Normalized actual) {
        assertThat(actual.status()).as(vector.toString()).isEqualTo(Normalized.Status.VALUE);
        assertThat(actual.value()).as(vector.toString()).isNotEqualTo(vector.normalized());
        assertThat(hasher.sha256(actual)).as(vector.toString()).isNotEqualTo(vector.hash());
    }

    /**
     * The raw column as inputs: JSON escapes undone; {@code [country=TR]} or a trailing {@code (US)},
     * {@code (TR province)}, {@code (TR DD.MM.YYYY)} taken as the customer's country; {@code a / b / c} as alternatives
     * that must all give the row's result.
     */
    static List<Input> inputs(String rawEscaped) {
        String raw = unescapeJson(rawEscaped);
        String country = null;
        Matcher countryNote = COUNTRY_NOTE.matcher(raw);
        if (countryNote.find()) {
            country = countryNote.group(1);
            raw = raw.substring(0, countryNote.start());
        }
        Matcher trailingNote = TRAILING_NOTE.matcher(raw);
        if (trailingNote.matches() && trailingNote.group(2).matches("[A-Z]{2}( .*)?")) {
            country = trailingNote.group(2).substring(0, 2);
            raw = trailingNote.group(1);
        }
        List<Input> inputs = new ArrayList<>();
        for (String alternative : raw.split(" / ")) {
            inputs.add(new Input(alternative, country));
        }
        return inputs;
    }

    static String unescapeJson(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 == escaped.length()) {
                out.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    @Test
    void readsTheNotesOfARawValue() {
        assertThat(inputs("0532 123 45 67  [country=TR]")).containsExactly(new Input("0532 123 45 67", "TR"));
        assertThat(inputs("94043-1351 (US)")).containsExactly(new Input("94043-1351", "US"));
        assertThat(inputs("İstanbul (TR province)")).containsExactly(new Input("İstanbul", "TR"));
        assertThat(inputs("Erkek / M / male")).extracting(Input::raw).containsExactly("Erkek", "M", "male");
        assertThat(inputs("\\tsukru.caglar@firma.com.tr\\n")).containsExactly(new Input("\tsukru.caglar@firma.com.tr\n", null));
        assertThat(inputs("  Ayşe ")).containsExactly(new Input("  Ayşe ", null));
    }

    /** In the Turkish-locale execution, proves the JVM really runs with that default locale. */
    @Test
    void runsInTheExpectedDefaultLocale() {
        String expected = System.getProperty("cdp.expected-default-locale");
        if (expected != null) {
            assertThat(Locale.getDefault().toLanguageTag()).isEqualTo(expected);
            assertThat("I".toLowerCase()).as("the trap this execution guards against").isEqualTo("ı");
        }
    }
}
