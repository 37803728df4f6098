package dev.cdp.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdp.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The live event debugger's source: the newest stored messages of a source, traits masked for readers without pii-reader. */
@QuarkusTest
class RecentEventsTest {

    private final Messages messages = new Messages();

    @Test
    void showsWhatArrivedNewestFirstAndThenOnlyWhatCameAfter() {
        String userId = "u-" + UUID.randomUUID();
        ObjectNode identify = messages.message("identify", userId, null, "2026-11-20T10:00:00Z");
        identify.putObject("traits").put("email", "debug." + userId + "@example.com").put("firstName", "Deniz");
        identify.putObject("context").put("ip", "203.0.113.7").putObject("traits").put("phone", "+905321112233");
        messages.send(identify);
        messages.send(messages.track(userId, null, "product_view", "2026-11-20T10:05:00Z"));
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 2);

        JsonPath full = Api.as("pii-reader").get("/events?source={source}", messages.source).then().statusCode(200).extract().jsonPath();
        assertThat(full.getList("items.type", String.class)).containsExactly("track", "identify");
        assertThat(full.getString("items[0].event")).isEqualTo("product_view");
        assertThat(full.getString("items[1].payload.traits.email")).isEqualTo("debug." + userId + "@example.com");
        assertThat(full.getString("items[1].payload.context.ip")).isEqualTo("203.0.113.7");
        long latest = full.getLong("latest");
        assertThat(latest).isEqualTo(full.getLong("items[0].id"));

        JsonPath masked = Api.as("marketer").get("/events?source={source}", messages.source).then().statusCode(200).extract().jsonPath();
        assertThat(masked.getString("items[1].payload.traits.email")).isEqualTo("***");
        assertThat(masked.getString("items[1].payload.traits.firstName")).isEqualTo("***");
        assertThat(masked.getString("items[1].payload.context.traits.phone")).isEqualTo("***");
        assertThat(masked.getMap("items[1].payload.context")).doesNotContainKey("ip");
        assertThat(masked.getString("items[1].userId")).isEqualTo(userId);

        messages.send(messages.track(userId, null, "app_open", "2026-11-20T10:06:00Z"));
        await().atMost(Duration.ofSeconds(40)).until(() -> messages.stored() == 3);
        JsonPath after = Api.as("marketer").get("/events?source={source}&after={latest}", messages.source, latest).then().statusCode(200)
                .extract().jsonPath();
        assertThat(after.getList("items.event", String.class)).containsExactly("app_open");

        Api.as("marketer").get("/events?after=-1").then().statusCode(400).contentType("application/problem+json");
        Api.as("marketer").get("/events?source=" + "s".repeat(65)).then().statusCode(400);
        Api.as("viewer").get("/events").then().statusCode(403);
    }
}
