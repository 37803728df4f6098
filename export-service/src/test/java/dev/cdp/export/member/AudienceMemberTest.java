package dev.cdp.export.member;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AudienceMemberTest {

    /** One line of segment-service's activation stream: null consents (unknown) read as not given. */
    @Test
    void readsALineOfTheActivationStream() throws Exception {
        String line = """
                {"customerId":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","email":"ayse@example.com","phone":"+905321234567",\
                "firstName":"Ayşe","lastName":"Yılmaz","birthDate":"1990-03-07","gender":"female","city":"İstanbul",\
                "state":null,"postalCode":"34710","countryCode":"TR","consentAdvertising":true,"consentEmail":null,\
                "consentSms":false,"userIds":["web-1"]}""";

        AudienceMember member = new ObjectMapper().findAndRegisterModules().readValue(line, AudienceMember.class);

        assertThat(member.customerId()).isEqualTo(UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        assertThat(member.birthDate()).isEqualTo(LocalDate.of(1990, 3, 7));
        assertThat(member.lastName()).isEqualTo("Yılmaz");
        assertThat(member.consentAdvertising()).isTrue();
        assertThat(member.consentEmail()).isFalse();
        assertThat(member.userIds()).containsExactly("web-1");
    }

    @Test
    void keepsPiiOutOfItsStringForm() {
        AudienceMember member = new AudienceMember(UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), "ayse@example.com",
                "+905321234567", "Ayşe", "Yılmaz", null, null, null, null, null, "TR", true, true, true,
                Arrays.asList("web-1", null));

        assertThat(member.toString()).isEqualTo("AudienceMember[customerId=3f2504e0-4f89-11d3-9a0c-0305e82c3301]");
        assertThat(member.userIds()).containsExactly("web-1");
        assertThat(new AudienceMember(null, null, null, null, null, null, null, null, null, null, null, false, false, false,
                null).userIds()).isEqualTo(List.of());
    }
}
