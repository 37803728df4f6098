import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fills cdp.events.raw with a realistic mix of raw events (60% interactions, 30% transactions, 10% identifies) over a
 * set of customers, as ingestion-service writes them, and writes the same rows as CSV for the COPY baseline.
 * Deterministic for a seed. Run by bench/profile.sh:
 * java -cp libs/devtools/target/classes:libs/devtools/target/lib/* bench/ProfileLoad.java BOOTSTRAP MESSAGES CUSTOMERS OUTDIR
 */
public class ProfileLoad {

    static final String[] CITIES = {"İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Adana", "Gaziantep"};
    static final String[] NAMES = {"Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Fatma", "Emre", "Şule", "Çağan"};
    static final String[] EVENTS = {"product_view", "add_to_cart", "app_open", "coupon_redeemed"};
    static final String[] TYPES = {"PURCHASE", "FUEL", "MARKET"};

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int messages = Integer.parseInt(args[1]);
        int customers = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        Random random = new Random(42);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "linger.ms", "20", "batch.size", "262144", "compression.type", "lz4"), new StringSerializer(), new StringSerializer());
                BufferedWriter raw = Files.newBufferedWriter(out.resolve("raw.csv"), StandardCharsets.UTF_8);
                BufferedWriter interactions = Files.newBufferedWriter(out.resolve("interactions.csv"), StandardCharsets.UTF_8);
                BufferedWriter transactions = Files.newBufferedWriter(out.resolve("transactions.csv"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < messages; i++) {
                int c = random.nextInt(customers);
                String userId = String.format("c-%06d", c);
                String anonymousId = String.format("a-%06d", c);
                boolean anonymous = random.nextInt(5) == 0;
                String messageId = new UUID(random.nextLong(), random.nextLong()).toString();
                Instant at = start.plusSeconds(random.nextInt(28_000_000));
                String received = "2026-11-26T10:00:00Z";
                int kind = random.nextInt(10);
                String type;
                String payload;
                if (kind < 6) {
                    boolean page = random.nextInt(4) == 0;
                    type = page ? "page" : "track";
                    String event = page ? "page_view" : EVENTS[random.nextInt(EVENTS.length)];
                    String properties = "{\"sku\":\"SKU-" + random.nextInt(5000) + "\",\"price\":" + random.nextInt(500) + "." + random.nextInt(99)
                            + ",\"currency\":\"TRY\",\"category\":\"" + (random.nextBoolean() ? "fuel" : "market") + "\"}";
                    payload = "{\"type\":\"" + type + "\",\"messageId\":\"" + messageId + "\"," + (anonymous ? "" : "\"userId\":\"" + userId + "\",")
                            + "\"anonymousId\":\"" + anonymousId + "\"," + (page ? "\"name\":\"Kampanyalar\"," : "\"event\":\"" + event + "\",")
                            + "\"properties\":" + properties + ",\"context\":{\"library\":{\"name\":\"analytics.js\",\"version\":\"5.2.0\"},"
                            + "\"locale\":\"tr-TR\"},\"timestamp\":\"" + at + "\"}";
                    interactions.write(customerUuid(c) + "," + (i + 1) + "," + type + "," + event + "," + csv(properties) + ",bench,web," + at + "\n");
                } else if (kind < 9) {
                    type = "transaction";
                    anonymous = false;
                    String txType = TYPES[random.nextInt(3)];
                    String amount = random.nextInt(3000) + "." + String.format("%02d", random.nextInt(100));
                    String items = "[{\"sku\":\"" + txType + "-" + random.nextInt(200) + "\",\"quantity\":" + (1 + random.nextInt(4)) + "}]";
                    payload = "{\"type\":\"transaction\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + userId + "\",\"transactionId\":\"T-"
                            + messageId + "\",\"transactionType\":\"" + txType + "\",\"amount\":" + amount + ",\"currency\":\"TRY\",\"storeId\":\"ST-"
                            + random.nextInt(300) + "\",\"items\":" + items + ",\"timestamp\":\"" + at + "\"}";
                    transactions.write(customerUuid(c) + "," + (i + 1) + ",T-" + messageId + "," + txType + "," + amount + ",TRY,ST-1,"
                            + csv(items) + ",bench," + at + "\n");
                } else {
                    type = "identify";
                    anonymous = false;
                    String name = NAMES[c % NAMES.length];
                    payload = "{\"type\":\"identify\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + userId + "\",\"anonymousId\":\""
                            + anonymousId + "\",\"traits\":{\"firstName\":\"" + name + "\",\"lastName\":\"Yılmaz\",\"email\":\"" + userId
                            + "@example.com\",\"phone\":\"0532 " + String.format("%03d %02d %02d", c % 1000, c / 1000 % 100, c % 97)
                            + "\",\"birthday\":\"19" + (50 + c % 50) + "-0" + (1 + c % 9) + "-1" + (c % 10) + "\",\"segment\":\""
                            + (c % 5 == 0 ? "premium" : "standard") + "\",\"address\":{\"city\":\"" + CITIES[c % CITIES.length]
                            + "\",\"country\":\"Türkiye\"}},\"context\":{\"consent\":{\"categoryPreferences\":{\"advertising\":"
                            + (c % 3 != 0) + ",\"email\":true,\"sms\":" + (c % 2 == 0) + "}}},\"timestamp\":\"" + at + "\"}";
                }
                String key = anonymous ? anonymousId : userId;
                String record = "{\"messageId\":\"" + messageId + "\",\"source\":\"bench\",\"type\":\"" + type + "\",\"userId\":"
                        + (anonymous ? "null" : "\"" + userId + "\"") + ",\"anonymousId\":\"" + anonymousId + "\",\"occurredAt\":\"" + at
                        + "\",\"receivedAt\":\"" + received + "\",\"schemaVersion\":1,\"payload\":" + payload + "}";
                raw.write("bench," + messageId + "," + type + "," + (anonymous ? "" : userId) + "," + anonymousId + "," + at + "," + received
                        + "," + csv(payload) + "\n");
                producer.send(new ProducerRecord<>("cdp.events.raw", key, record), (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not sent");
        }
    }

    /** A deterministic customer id for the COPY baseline's silver rows. */
    static String customerUuid(int customer) {
        return new UUID(0x0CD9L, customer).toString();
    }

    static String csv(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
