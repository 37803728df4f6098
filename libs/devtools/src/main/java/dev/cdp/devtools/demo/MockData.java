package dev.cdp.devtools.demo;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Realistic data of a Turkish retail and fuel-station chain, the seed's generate_mock_data: customers with Turkish
 * names, emails and phone numbers written the way people type them (spaces, {@code 0} and {@code +90} prefixes, upper
 * case, a few unusable), cities in their real proportions, ages, tiers, preferences and opt-ins; PURCHASE, FUEL and
 * MARKET transactions with items, stores and plausible amounts; web and app interactions. Customers follow personas
 * (fuel regulars, occasional and market shoppers, app browsers, the inactive), so every example segment finds people.
 *
 * <p>Deterministic: the same seed, size and reference time give the same data, ids included, so sending it twice
 * stores it once. Customers are generated one at a time with their transactions and events, so a million customers
 * need no more memory than one.
 */
public final class MockData {

    /** Where generated rows go, one customer (with their transactions and events) at a time. */
    public interface Sink {
        void customer(Map<String, Object> customer) throws IOException;

        void transaction(Map<String, Object> transaction) throws IOException;

        void event(Map<String, Object> event) throws IOException;
    }

    static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private static final String[] FEMALE = {"Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Merve", "Büşra", "Özge", "Gülşen", "Şeyma",
        "Çağla", "Irmak", "İrem", "Sıla", "Dilek", "Gökçe", "Ebru", "Yağmur", "Nur"};
    private static final String[] MALE = {"Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat",
        "Ömer", "Emre", "Burak", "Oğuz", "Çağrı", "Şükrü", "Ümit", "Barış", "Doğan"};
    private static final String[] LAST = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan",
        "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Polat", "Erdoğan", "Güneş", "Aksoy", "Akın", "Uçar",
        "Güler", "Tekin", "Ünal", "Işık"};

    /** Cities by share of customers (roughly their share of the population), with plate code, landline area and stores. */
    private record City(String name, double share, String plate, String area, String storePrefix, int stores) {
    }

    private static final City[] CITIES = {
        new City("İstanbul", 0.30, "34", "212", "IST", 40), new City("Ankara", 0.12, "06", "312", "ANK", 15),
        new City("İzmir", 0.09, "35", "232", "IZM", 12), new City("Bursa", 0.06, "16", "224", "BUR", 8),
        new City("Antalya", 0.05, "07", "242", "ANT", 7), new City("Konya", 0.045, "42", "332", "KON", 5),
        new City("Adana", 0.045, "01", "322", "ADA", 5), new City("Şanlıurfa", 0.04, "63", "414", "SUR", 4),
        new City("Gaziantep", 0.04, "27", "342", "GAZ", 4), new City("Kocaeli", 0.04, "41", "262", "KOC", 5),
        new City("Mersin", 0.04, "33", "324", "MER", 4), new City("Diyarbakır", 0.035, "21", "412", "DIY", 3),
        new City("Hatay", 0.03, "31", "326", "HAT", 3), new City("Manisa", 0.03, "45", "236", "MAN", 3),
        new City("Kayseri", 0.035, "38", "352", "KAY", 3)};
    /** The shares above add up to about 1; draws are scaled by their sum. */
    private static final double TOTAL_SHARE = Arrays.stream(CITIES).mapToDouble(City::share).sum();
    private static final String[] MOBILE_PREFIXES = {"530", "531", "532", "533", "535", "536", "537", "538", "539", "541", "542", "543", "544",
        "545", "546", "505", "506", "507", "551", "552", "553", "554", "555"};
    private static final String[] DOMAINS = {"gmail.com", "gmail.com", "gmail.com", "hotmail.com", "hotmail.com", "yahoo.com", "outlook.com",
        "icloud.com", "yandex.com", "mynet.com"};

    /** Products: sku, name, category, lowest and highest unit price in TRY. */
    private record Product(String sku, String name, String category, double low, double high) {
    }

    private static final Product[] FUELS = {new Product("FUEL-95", "Kurşunsuz 95", "fuel", 42.5, 45.9),
        new Product("FUEL-DSL", "Motorin", "fuel", 43.0, 46.5), new Product("FUEL-LPG", "Otogaz LPG", "fuel", 22.0, 24.5)};
    private static final Product[] MARKET = {new Product("MKT-SU", "Su 1,5 L", "market", 12, 18), new Product("MKT-CAY", "Çay 1 kg", "market", 180, 260),
        new Product("MKT-SIMIT", "Simit", "market", 15, 25), new Product("MKT-AYRAN", "Ayran", "market", 14, 22),
        new Product("MKT-KAHVE", "Türk kahvesi", "market", 60, 110), new Product("MKT-CIKOLATA", "Çikolata", "market", 25, 60),
        new Product("MKT-CIPS", "Cips", "market", 30, 55), new Product("MKT-SUT", "Süt 1 L", "market", 32, 45)};
    private static final Product[] SHOP = {new Product("SHP-YAG", "Motor yağı 4 L", "car-care", 900, 1600),
        new Product("SHP-SILECEK", "Silecek takımı", "car-care", 250, 600), new Product("SHP-ANTIFRIZ", "Antifriz", "car-care", 180, 320),
        new Product("SHP-LASTIK", "Lastik", "car-care", 1800, 4200), new Product("SHP-YIKAMA", "Oto yıkama", "car-care", 150, 400)};
    private static final String[] WEB_PAGES = {"/", "/kampanyalar", "/akaryakit-fiyatlari", "/market", "/istasyonlar", "/sadakat-programi"};
    private static final String[] WEB_PAGE_NAMES = {"Ana Sayfa", "Kampanya", "Akaryakıt Fiyatları", "Market", "İstasyonlar", "Sadakat Programı"};
    /** Where visitors who came from an ad came from, as UTM source and medium; the first is the most common. */
    private static final String[][] CAMPAIGN_SOURCES = {{"instagram", "social"}, {"instagram", "social"}, {"google", "cpc"}, {"tiktok", "social"}};
    private static final String[] COUPONS = {"YAKIT50", "MARKET20", "KAHVE1", "YIKAMA30"};

    private enum Persona { FUEL_REGULAR, OCCASIONAL, MARKET_SHOPPER, APP_BROWSER, INACTIVE }

    private final long seed;
    private final Instant now;
    private final Sink sink;
    private long transactionNumber;
    private long eventNumber;

    /** Generates relative to {@code now} (transactions and events lie in the 180 days before it). */
    public MockData(long seed, Instant now, Sink sink) {
        this.seed = seed;
        this.now = now;
        this.sink = sink;
    }

    /** Generates {@code customers} customers, each followed by their transactions and events. */
    public void generate(int customers) throws IOException {
        for (int i = 1; i <= customers; i++) {
            // One random stream per customer: the data of customer i does not depend on how many come before it.
            customer(i, new SplittableRandom(seed * 1_000_003L + i));
        }
    }

    private void customer(int number, SplittableRandom random) throws IOException {
        boolean female = random.nextBoolean();
        String firstName = pick(random, female ? FEMALE : MALE);
        String lastName = pick(random, LAST);
        City city = city(random.nextDouble());
        String id = "C" + String.format("%07d", number);
        Persona persona = persona(random.nextDouble());
        int age = 18 + (int) Math.round(Math.abs(random.nextGaussian()) * 18) % 58;
        LocalDate birthDate = LocalDate.ofInstant(now, ISTANBUL).minusYears(age).minusDays(random.nextInt(365));

        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("message_id", "CU-" + seed + "-" + number); // the same row sent again is stored once
        customer.put("customer_id", id);
        customer.put("first_name", firstName);
        customer.put("last_name", lastName);
        customer.put("email", random.nextDouble() < 0.08 ? null : email(random, firstName, lastName, number));
        customer.put("phone", phone(random, city, number));
        customer.put("birth_date", random.nextDouble() < 0.05 ? null : birthDate.toString());
        customer.put("gender", random.nextDouble() < 0.05 ? null : female ? "female" : "male");
        customer.put("segment", tier(random.nextDouble(), persona));
        customer.put("city", city.name());
        customer.put("zip", city.plate() + String.format("%03d", random.nextInt(1000)));
        customer.put("country", random.nextDouble() < 0.1 ? "Türkiye" : "TR");
        customer.put("email_opt_in", random.nextDouble() < 0.7);
        customer.put("sms_opt_in", random.nextDouble() < 0.5);
        customer.put("ads_opt_in", random.nextDouble() < 0.6);
        Map<String, Object> preferences = new LinkedHashMap<>();
        preferences.put("fuelType", pick(random, new String[] {"gasoline", "diesel", "lpg"}));
        preferences.put("favoriteStore", store(random, city));
        preferences.put("language", random.nextDouble() < 0.9 ? "tr" : "en");
        customer.put("preferences", preferences);
        customer.put("created_at", time(now.minus(Duration.ofDays(200 + random.nextInt(900)))));
        sink.customer(customer);

        transactions(id, city, persona, random);
        events(id, persona, random);
    }

    private void transactions(String customerId, City city, Persona persona, SplittableRandom random) throws IOException {
        switch (persona) {
            case FUEL_REGULAR -> {
                // A fill-up every 3 to 9 days over the last 180 days, a market stop now and then.
                for (long day = random.nextInt(4); day < 180; day += 3 + random.nextInt(7)) {
                    transaction(customerId, "FUEL", city, day, random);
                    if (random.nextDouble() < 0.3) {
                        transaction(customerId, "MARKET", city, day, random);
                    }
                }
            }
            case OCCASIONAL -> {
                int count = 2 + random.nextInt(9);
                for (int i = 0; i < count; i++) {
                    double kind = random.nextDouble();
                    transaction(customerId, kind < 0.5 ? "FUEL" : kind < 0.8 ? "MARKET" : "PURCHASE", city, random.nextInt(180), random);
                }
            }
            case MARKET_SHOPPER -> {
                // Half of them lapsed: they stopped coming 60 to 120 days ago.
                int lastDay = random.nextBoolean() ? 0 : 60 + random.nextInt(60);
                for (long day = lastDay + random.nextInt(5); day < 180; day += 2 + random.nextInt(8)) {
                    transaction(customerId, random.nextDouble() < 0.85 ? "MARKET" : "PURCHASE", city, day, random);
                }
            }
            case APP_BROWSER -> {
                // Bought long ago, if ever.
                if (random.nextBoolean()) {
                    transaction(customerId, "PURCHASE", city, 100 + random.nextInt(80), random);
                }
            }
            case INACTIVE -> {
                // nothing
            }
        }
    }

    private void transaction(String customerId, String type, City city, long daysAgo, SplittableRandom random) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        switch (type) {
            case "FUEL" -> items.add(item(random, pick(random, FUELS), 15 + random.nextInt(46)));
            case "MARKET" -> {
                int lines = 1 + random.nextInt(4);
                for (int i = 0; i < lines; i++) {
                    items.add(item(random, pick(random, MARKET), 1 + random.nextInt(3)));
                }
            }
            default -> items.add(item(random, pick(random, SHOP), 1));
        }
        BigDecimal amount = items.stream().map(item -> ((BigDecimal) item.get("unitPrice")).multiply(new BigDecimal(item.get("quantity").toString())))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_UP);
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("transaction_id", "TX-" + seed + "-" + ++transactionNumber);
        transaction.put("customer_id", customerId);
        transaction.put("type", type);
        transaction.put("amount", amount);
        transaction.put("currency", "TRY");
        transaction.put("store_id", random.nextDouble() < 0.8 ? store(random, city) : store(random, city(random.nextDouble())));
        transaction.put("items", items);
        transaction.put("transaction_date", time(at(daysAgo, 6 + random.nextInt(17), random)));
        sink.transaction(transaction);
    }

    private static Map<String, Object> item(SplittableRandom random, Product product, int quantity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", product.sku());
        item.put("name", product.name());
        item.put("category", product.category());
        item.put("quantity", quantity);
        item.put("unitPrice", BigDecimal.valueOf(product.low() + random.nextDouble() * (product.high() - product.low())).setScale(2, RoundingMode.HALF_UP));
        return item;
    }

    private void events(String customerId, Persona persona, SplittableRandom random) throws IOException {
        int count = switch (persona) {
            case APP_BROWSER -> 8 + random.nextInt(25);
            case INACTIVE -> random.nextInt(2);
            default -> random.nextInt(12);
        };
        boolean appUser = persona == Persona.APP_BROWSER || random.nextDouble() < 0.55;
        for (int i = 0; i < count; i++) {
            boolean app = appUser && random.nextDouble() < 0.8;
            double kind = random.nextDouble();
            Map<String, Object> properties = new LinkedHashMap<>();
            String name;
            String pageName = null;
            Map<String, String> campaign = null;
            if (app && kind < 0.35) {
                name = "app_open";
            } else if (!app && kind < 0.35) {
                name = "page_view";
                int page = random.nextInt(WEB_PAGES.length);
                properties.put("path", WEB_PAGES[page]);
                pageName = WEB_PAGE_NAMES[page];
                if (random.nextDouble() < 0.25) { // a visit that came from an ad: its UTM values
                    String[] source = pick(random, CAMPAIGN_SOURCES);
                    campaign = Map.of("source", source[0], "medium", source[1], "name", "kis-kampanyasi");
                }
            } else if (kind < 0.75) {
                name = "product_view";
                Product product = random.nextDouble() < 0.4 ? pick(random, FUELS) : random.nextBoolean() ? pick(random, MARKET) : pick(random, SHOP);
                properties.put("sku", product.sku());
                properties.put("category", product.category());
            } else if (kind < 0.92) {
                name = "add_to_cart";
                Product product = random.nextBoolean() ? pick(random, MARKET) : pick(random, SHOP);
                properties.put("sku", product.sku());
                properties.put("category", product.category());
            } else {
                name = "coupon_redeemed";
                properties.put("couponCode", pick(random, COUPONS));
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event_id", "EV-" + seed + "-" + ++eventNumber);
            event.put("customer_id", customerId);
            event.put("event", name);
            event.put("properties", properties);
            if (pageName != null) {
                event.put("page_name", pageName);
            }
            if (campaign != null) {
                event.put("campaign", campaign);
            }
            event.put("channel", app ? "app" : "web");
            event.put("timestamp", time(at(random.nextInt(90), 7 + random.nextInt(17), random)));
            sink.event(event);
        }
    }

    /** A time {@code daysAgo} days before now, at about {@code hour} o'clock in İstanbul, never in the future. */
    private Instant at(long daysAgo, int hour, SplittableRandom random) {
        ZonedDateTime day = now.atZone(ISTANBUL).minusDays(daysAgo).withHour(hour).withMinute(random.nextInt(60)).withSecond(random.nextInt(60));
        Instant at = day.toInstant();
        return at.isAfter(now) ? now.minusSeconds(60 + random.nextInt(3600)) : at;
    }

    private static String time(Instant instant) {
        return LOCAL.format(instant.atZone(ISTANBUL));
    }

    private static City city(double draw) {
        double cumulative = 0;
        for (City city : CITIES) {
            cumulative += city.share() / TOTAL_SHARE;
            if (draw < cumulative) {
                return city;
            }
        }
        return CITIES[CITIES.length - 1];
    }

    private static Persona persona(double draw) {
        return draw < 0.25 ? Persona.FUEL_REGULAR : draw < 0.60 ? Persona.OCCASIONAL : draw < 0.75 ? Persona.MARKET_SHOPPER
                : draw < 0.90 ? Persona.APP_BROWSER : Persona.INACTIVE;
    }

    private static String tier(double draw, Persona persona) {
        double premium = persona == Persona.FUEL_REGULAR ? 0.15 : 0.05;
        return draw < premium ? "premium" : draw < premium + 0.13 ? "gold" : draw < premium + 0.38 ? "silver" : "standard";
    }

    private static String store(SplittableRandom random, City city) {
        return city.storePrefix() + "-" + String.format("%03d", 1 + random.nextInt(city.stores()));
    }

    /**
     * As people type them: mostly lower case, some upper or mixed case, some with spaces around. The customer's number
     * makes each address unique: two customers sharing one would be merged into one profile, as they should.
     */
    private static String email(SplittableRandom random, String firstName, String lastName, int number) {
        String local = ascii(firstName) + (random.nextBoolean() ? "." : "") + ascii(lastName) + number;
        String email = local + "@" + pick(random, DOMAINS);
        double style = random.nextDouble();
        if (style < 0.08) {
            return email.toUpperCase(Locale.ROOT);
        }
        if (style < 0.16) {
            return Character.toUpperCase(email.charAt(0)) + email.substring(1);
        }
        return style < 0.20 ? "  " + email + " " : email;
    }

    /**
     * Turkish mobile numbers in the ways people write them, a few landlines, a few unusable, some missing. The
     * subscriber number is a permutation of the customer's number, so no two customers share a phone (up to 10 million).
     */
    private static String phone(SplittableRandom random, City city, int number) {
        double draw = random.nextDouble();
        if (draw < 0.07) {
            return null;
        }
        String subscriber = String.format("%07d", (number * 7_919_333L + 1_234_567L) % 10_000_000L);
        String a = subscriber.substring(0, 3);
        String b = subscriber.substring(3, 5);
        String c = subscriber.substring(5);
        if (draw < 0.13) {
            return "0" + city.area() + " " + a + " " + b + " " + c; // a landline
        }
        if (draw < 0.15) {
            return "0" + pick(random, MOBILE_PREFIXES) + " " + a; // cut short: not a number
        }
        String prefix = pick(random, MOBILE_PREFIXES);
        double style = random.nextDouble();
        return style < 0.35 ? "0" + prefix + " " + a + " " + b + " " + c
                : style < 0.55 ? "+90 " + prefix + " " + a + " " + b + " " + c
                : style < 0.70 ? prefix + subscriber
                : style < 0.85 ? "+90" + prefix + subscriber
                : style < 0.93 ? "(0" + prefix + ") " + a + "-" + b + "-" + c
                : "90" + prefix + subscriber;
    }

    /** Turkish letters folded to ASCII, as people write email addresses. */
    static String ascii(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char ch : name.toCharArray()) {
            ascii.append(switch (ch) {
                case 'ç', 'Ç' -> 'c';
                case 'ğ', 'Ğ' -> 'g';
                case 'ı', 'I', 'İ', 'i' -> 'i';
                case 'ö', 'Ö' -> 'o';
                case 'ş', 'Ş' -> 's';
                case 'ü', 'Ü' -> 'u';
                default -> Character.toLowerCase(ch);
            });
        }
        return ascii.toString();
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
