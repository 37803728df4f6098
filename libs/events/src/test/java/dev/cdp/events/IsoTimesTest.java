package dev.cdp.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reader and writer agree with java.time on every form they take; the reader declines the rest. */
class IsoTimesTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T10:15:30Z", "2026-11-26T10:15:30.1Z", "2026-11-26T10:15:30.123Z",
            "2026-11-26T10:15:30.123456789Z", "2026-11-26T10:15:30+03:00", "2026-11-26T10:15:30.5-05:30",
            "2024-02-29T23:59:59+14:00", "1970-01-01T00:00:00Z", "2026-11-26t10:15:30z"})
    void readsTheCommonFormsExactlyAsJavaTimeDoes(String text) {
        assertThat(IsoTimes.parse(text)).isEqualTo(OffsetDateTime.parse(text.toUpperCase()).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T10:15:30", "2026-11-26 10:15:30Z", "2026-02-30T10:15:30Z", "2026-11-26T24:00:00Z",
            "2026-11-26T10:15:30.Z", "2026-11-26T10:15:30+3:00", "yesterday", "2026-11-26T10:15:30+03:00:00",
            "2026-11-26T10:15:30.1234567891Z"})
    void declinesEverythingElse(String text) {
        assertThat(IsoTimes.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T10:15:30+0300"})
    void takesOffsetsWithoutAColon(String text) {
        assertThat(IsoTimes.parse(text)).isEqualTo(OffsetDateTime.parse("2026-11-26T10:15:30+03:00").toInstant());
    }

    @Test
    void writesInstantsExactlyAsIsoInstantDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 253_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IsoTimes.format(instant)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
    }

    @Test
    void supportsTheYearsOneToNineThousandNineHundredNinetyNine() {
        assertThat(IsoTimes.supported(Instant.parse("0001-01-01T00:00:00Z"))).isTrue();
        assertThat(IsoTimes.supported(Instant.parse("9999-12-31T23:59:59.999999999Z"))).isTrue();
        assertThat(IsoTimes.supported(Instant.parse("0000-12-31T23:59:59Z"))).isFalse();
        assertThat(IsoTimes.supported(Instant.parse("+10000-01-01T00:00:00Z"))).isFalse();
        assertThat(IsoTimes.supported(Instant.MAX)).isFalse();
        assertThat(IsoTimes.supportedYear(0)).isFalse();
        assertThat(IsoTimes.supportedYear(2026)).isTrue();
    }
}
