package dev.cdp.export.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.platform.Identifier;
import dev.cdp.export.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;

/**
 * Each platform's file read back with an independent RFC 4180 reader; every hash is compared with
 * {@link DigestUtils#sha256Hex} of the normalized string we expect, written out by hand.
 */
class AudienceFilesTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String PREHASHED = "488CA96571B758C820FFAC1386D6489AD489A3AC98FCB28E1287D4B4FFEA0E4F";

    @Test
    void metaCustomerList() throws IOException {
        List<AudienceMember> members = List.of(
                member("  Ayse.Yilmaz@Example.COM ", "0532 123 45 67", "Şükrü", "Çağlar", LocalDate.of(1990, 3, 7), "Erkek",
                        "İstanbul", "İstanbul", "34 710", "TR"),
                // An invalid phone and a name without an address: nothing to match on.
                member(null, "123", "Ayşe", "Kaya", null, null, null, null, null, "TR"),
                // Blank values are left empty, never hashed.
                member("jane_doe@yahoo.co.uk", "  ", " ", "", null, "", "", "", "", null),
                // No email or phone, but a full name with zip and country.
                member(null, null, "Mary-Jane", "O'Neil", null, "female", "New York", "New York", "10001-2345", "US"),
                member(PREHASHED, "+1 202.555.0123", null, null, null, null, null, null, null, "US"));

        Result result = write(Platform.META, members);

        assertThat(result.rows.get(0)).containsExactly("email", "phone", "fn", "ln", "zip", "ct", "st", "country", "doby", "gen");
        assertThat(result.outcomes).containsExactly(RowOutcome.WRITTEN, RowOutcome.SKIPPED_NO_IDENTIFIER, RowOutcome.WRITTEN,
                RowOutcome.WRITTEN, RowOutcome.WRITTEN);
        assertThat(result.rows).hasSize(5);
        assertThat(result.rows.get(1)).containsExactly(sha("ayse.yilmaz@example.com"), sha("905321234567"), sha("sukru"),
                sha("caglar"), sha("34710"), sha("istanbul"), sha("istanbul"), sha("tr"), sha("1990"), sha("m"));
        assertThat(result.rows.get(2)).containsExactly(sha("jane_doe@yahoo.co.uk"), "", "", "", "", "", "", "", "", "");
        assertThat(result.rows.get(3)).containsExactly("", "", sha("maryjane"), sha("oneil"), sha("10001"), sha("newyork"),
                sha("ny"), sha("us"), "", sha("f"));
        assertThat(result.rows.get(4)).containsExactly(PREHASHED.toLowerCase(), sha("12025550123"), "", "", "", "", "", sha("us"),
                "", "");

        Coverage coverage = result.coverage;
        assertThat(coverage.rowsWritten()).isEqualTo(4);
        assertThat(coverage.rowsSkipped()).isEqualTo(1);
        assertThat(coverage.invalidPhones()).isEqualTo(1);
        assertThat(coverage.rowsWithByIdentifier()).containsOnly(entry(Identifier.EMAIL, 3L), entry(Identifier.PHONE, 2L),
                entry(Identifier.FIRST_NAME, 2L), entry(Identifier.LAST_NAME, 2L), entry(Identifier.ZIP, 2L),
                entry(Identifier.CITY, 2L), entry(Identifier.STATE, 2L), entry(Identifier.COUNTRY, 3L),
                entry(Identifier.BIRTH_YEAR, 1L), entry(Identifier.GENDER, 2L));
        assertThat(coverage.invalidByIdentifier()).containsOnly(entry(Identifier.PHONE, 1L));
    }

    @Test
    void googleCustomerMatch() throws IOException {
        List<AudienceMember> members = List.of(
                member("John.Smith+Newsletter@Gmail.com", "0532 123 45 67", "Şükrü", "Öztürk", null, null, null, null, "34 710", "TR"),
                member(null, "(650) 555-1212", "Mary Ann", "O'Neil", null, null, null, null, "94043-1351", "US"),
                // A name without country and zip cannot match alone.
                member(null, null, "Ayşe", "Yılmaz", null, null, null, null, null, null),
                // With an email the row is written, but the incomplete address stays out.
                member("Mehmet.Oz+promo@Hotmail.com", null, "Mehmet", "Öz", null, null, null, null, null, "TR"),
                member(null, "0532", null, null, null, null, null, null, null, "TR"));

        Result result = write(Platform.GOOGLE, members);

        assertThat(result.rows.get(0)).containsExactly("Email", "Phone", "First Name", "Last Name", "Country", "Zip");
        assertThat(result.outcomes).containsExactly(RowOutcome.WRITTEN, RowOutcome.WRITTEN, RowOutcome.SKIPPED_NO_IDENTIFIER,
                RowOutcome.WRITTEN, RowOutcome.SKIPPED_NO_IDENTIFIER);
        assertThat(result.rows).hasSize(4);
        assertThat(result.rows.get(1)).containsExactly(sha("johnsmith@gmail.com"), sha("+905321234567"), sha("şükrü"),
                sha("öztürk"), "TR", "34710");
        assertThat(result.rows.get(2)).containsExactly("", sha("+16505551212"), sha("mary ann"), sha("oneil"), "US", "94043-1351");
        assertThat(result.rows.get(3)).containsExactly(sha("mehmet.oz+promo@hotmail.com"), "", "", "", "", "");

        Coverage coverage = result.coverage;
        assertThat(coverage.rowsWritten()).isEqualTo(3);
        assertThat(coverage.rowsSkipped()).isEqualTo(2);
        assertThat(coverage.invalidPhones()).isEqualTo(1);
        assertThat(coverage.rowsWithByIdentifier()).containsOnly(entry(Identifier.EMAIL, 2L), entry(Identifier.PHONE, 2L),
                entry(Identifier.FIRST_NAME, 2L), entry(Identifier.LAST_NAME, 2L), entry(Identifier.COUNTRY, 2L),
                entry(Identifier.ZIP, 2L));
    }

    @Test
    void tikTokCustomerFile() throws IOException {
        List<AudienceMember> members = List.of(
                member("Mehmet.Oz+promo@Hotmail.com", "+90 (532) 123-45-67", "Mehmet", "Öz", null, null, null, null, null, "TR"),
                // The strict email equals the minimal one: its column stays empty.
                member("jane_doe@yahoo.co.uk", null, null, null, null, null, null, null, null, "GB"),
                member("", "12", null, null, null, null, null, null, null, "US"),
                member(null, "1-800-555-0199", null, null, null, null, null, null, null, "US"),
                member(PREHASHED, null, null, null, null, null, null, null, null, null));

        Result result = write(Platform.TIKTOK, members);

        assertThat(result.rows.get(0)).containsExactly("Email_SHA256", "Email_SHA256", "Phone_SHA256", "Phone_SHA256");
        assertThat(result.outcomes).containsExactly(RowOutcome.WRITTEN, RowOutcome.WRITTEN, RowOutcome.SKIPPED_NO_IDENTIFIER,
                RowOutcome.WRITTEN, RowOutcome.WRITTEN);
        assertThat(result.rows.get(1)).containsExactly(sha("mehmet.oz+promo@hotmail.com"), sha("mehmetoz@hotmail.com"),
                sha("905321234567"), sha("+905321234567"));
        assertThat(result.rows.get(2)).containsExactly(sha("jane_doe@yahoo.co.uk"), "", "", "");
        assertThat(result.rows.get(3)).containsExactly("", "", sha("18005550199"), sha("+18005550199"));
        assertThat(result.rows.get(4)).containsExactly(PREHASHED.toLowerCase(), "", "", "");

        Coverage coverage = result.coverage;
        assertThat(coverage.rowsWritten()).isEqualTo(4);
        assertThat(coverage.rowsSkipped()).isEqualTo(1);
        assertThat(coverage.invalidPhones()).isEqualTo(1);
        assertThat(coverage.rowsWith(Identifier.EMAIL)).as("two email columns, one identifier").isEqualTo(3);
        assertThat(coverage.rowsWith(Identifier.PHONE)).isEqualTo(2);
    }

    @Test
    void aMemberWithNothingIsSkippedOnEveryPlatform() throws IOException {
        AudienceMember nothing = new AudienceMember(UUID.randomUUID(), null, null, null, null, null, null, null, null, null,
                null, true, true, true, null);
        for (Platform platform : Platform.values()) {
            Result result = write(platform, List.of(nothing));
            assertThat(result.outcomes).containsExactly(RowOutcome.SKIPPED_NO_IDENTIFIER);
            assertThat(result.rows).hasSize(1);
            assertThat(result.coverage.rowsWithByIdentifier()).isEmpty();
            assertThat(result.coverage.invalidByIdentifier()).isEmpty();
        }
    }

    @Test
    void exactlyOneHeaderBeforeTheRows() throws IOException {
        AudienceFileWriter writer = AudienceFiles.writer(Platform.META, new ByteArrayOutputStream());
        AudienceMember someone = member("a@example.com", null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> writer.write(someone)).isInstanceOf(IllegalStateException.class);
        writer.writeHeader();
        assertThatThrownBy(writer::writeHeader).isInstanceOf(IllegalStateException.class);
        assertThat(writer.write(someone)).isEqualTo(RowOutcome.WRITTEN);
        assertThat(writer.platform()).isEqualTo(Platform.META);
    }

    @Test
    void byteStreamsGetUtf8WithoutAByteOrderMark() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AudienceFileWriter writer = AudienceFiles.writer(Platform.GOOGLE, bytes);
        writer.writeHeader();
        writer.write(member(null, null, "Zoë", "Pérez", null, null, null, null, "WC2H 8LG", "GB"));
        writer.flush();

        String text = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        assertThat(bytes.toByteArray()[0]).isEqualTo((byte) 'E');
        assertThat(CsvReader.parse(text).get(1)).containsExactly("", "", sha("zoë"), sha("pérez"), "GB", "WC2H 8LG");
    }

    private record Result(String text, List<List<String>> rows, List<RowOutcome> outcomes, Coverage coverage) {
    }

    private static Result write(Platform platform, List<AudienceMember> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudienceFileWriter writer = AudienceFiles.writer(platform, out);
        writer.writeHeader();
        List<RowOutcome> outcomes = new ArrayList<>();
        for (AudienceMember member : members) {
            outcomes.add(writer.write(member));
        }
        writer.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        List<List<String>> rows = CsvReader.parse(text);

        // One header row, every row as wide as it, every hash cell lower-case hex and never the hash of nothing.
        assertThat(text).doesNotContain(EMPTY_SHA256).doesNotContain("\"");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(rows.subList(1, rows.size())).allSatisfy(row -> {
            assertThat(row).hasSameSizeAs(writer.header()).isNotEqualTo(writer.header());
            assertThat(row).anySatisfy(cell -> assertThat(cell).isNotEmpty());
        });
        assertThat(rows.get(0)).isEqualTo(writer.header());
        assertThat(writer.coverage().rowsWritten()).isEqualTo(rows.size() - 1);
        assertThat(writer.coverage().rowsWritten() + writer.coverage().rowsSkipped()).isEqualTo(members.size());
        return new Result(text, rows, outcomes, writer.coverage());
    }

    private static AudienceMember member(String email, String phone, String firstName, String lastName, LocalDate birthDate,
            String gender, String city, String state, String postalCode, String countryCode) {
        return new AudienceMember(UUID.randomUUID(), email, phone, firstName, lastName, birthDate, gender, city, state,
                postalCode, countryCode, true, false, false, List.of());
    }

    private static String sha(String normalized) {
        return DigestUtils.sha256Hex(normalized);
    }
}
