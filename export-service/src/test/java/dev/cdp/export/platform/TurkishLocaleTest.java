package dev.cdp.export.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdp.export.file.AudienceFileWriter;
import dev.cdp.export.file.AudienceFiles;
import dev.cdp.export.member.AudienceMember;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The same bytes whatever the JVM's default locale: in Turkish, {@code "I".toLowerCase()} is {@code ı}, which would
 * silently change every hash of an upper-case email. (The surefire execution {@code turkish-locale} also runs the
 * vector test in a JVM started in Turkish.)
 */
class TurkishLocaleTest {

    private static final AudienceMember MEMBER = new AudienceMember(UUID.fromString("00000000-0000-0000-0000-000000000001"),
            "ILKER.DEMIR+Promo@GMAIL.COM", "0532 123 45 67", "İBRAHİM", "YILMAZ", LocalDate.of(1990, 3, 7), "ERKEK",
            "İSTANBUL", "ISPARTA", "34 710", "TR", true, true, true, List.of());

    @Test
    void normalizersAndFilesDoNotDependOnTheDefaultLocale() throws IOException {
        List<String> inRoot = everything();
        Locale original = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            assertThat("I".toLowerCase()).as("the trap this test guards against").isEqualTo("ı");
            assertThat(everything()).isEqualTo(inRoot);
        } finally {
            Locale.setDefault(original);
        }
        assertThat(inRoot).contains("ilker.demir+promo@gmail.com", "ilkerdemir@gmail.com", "ibrahim", "yilmaz", "istanbul",
                "isparta", "m");
    }

    private static List<String> everything() throws IOException {
        return List.of(
                MetaNormalizers.email(MEMBER.email()).value(),
                GoogleNormalizers.email(MEMBER.email()).value(),
                TikTokNormalizers.emailStrict(MEMBER.email()).value(),
                MetaNormalizers.firstName(MEMBER.firstName()).value(),
                MetaNormalizers.nameUtf8(MEMBER.firstName()).value(),
                GoogleNormalizers.firstName(MEMBER.firstName()).value(),
                MetaNormalizers.lastName(MEMBER.lastName()).value(),
                GoogleNormalizers.lastName(MEMBER.lastName()).value(),
                MetaNormalizers.city(MEMBER.city()).value(),
                MetaNormalizers.state(MEMBER.state(), MEMBER.countryCode()).value(),
                MetaNormalizers.country("TÜRKİYE").value(),
                GoogleNormalizers.country("tur").value(),
                MetaNormalizers.gender(MEMBER.gender()).value(),
                MetaNormalizers.mobileAdvertiserId("AECE52E7-03EE-455A-B3C4-E57283966239").value(),
                TikTokNormalizers.mobileAdvertiserId("AECE52E7-03EE-455A-B3C4-E57283966239").value(),
                TikTokNormalizers.eventsExternalId("CUST-IDI").value(),
                file(Platform.META), file(Platform.GOOGLE), file(Platform.TIKTOK));
    }

    private static String file(Platform platform) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudienceFileWriter writer = AudienceFiles.writer(platform, out);
        writer.writeHeader();
        writer.write(MEMBER);
        writer.flush();
        return out.toString(StandardCharsets.UTF_8);
    }
}
