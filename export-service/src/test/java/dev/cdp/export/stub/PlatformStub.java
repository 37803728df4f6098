package dev.cdp.export.stub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What the three platform stubs share: one path prefix each on the common {@link WireMockServer}, a default mapping
 * whose answer a Java transformer computes (so bodies are validated and audiences keep state), and scenario mappings
 * of higher priority that answer with a fault a given number of times before the default takes over again. When
 * several fault helpers are pending on one platform, the one registered last fires first (WireMock prefers the newest
 * of equal priority).
 */
public abstract class PlatformStub {

    /**
     * Hashes the platforms take as well-formed but cannot use (as a real platform does with values it cannot parse or
     * match): Meta counts their rows in num_invalid_entries, Google refuses the whole request naming the member.
     */
    static final java.util.Set<String> REFUSED = java.util.concurrent.ConcurrentHashMap.newKeySet();


    private static final int DOWN_PRIORITY = 1;
    private static final int SCENARIO_PRIORITY = 2;
    private static final int DEFAULT_PRIORITY = 10;
    private static final String FAULT = "fault";

    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final Map<String, Function<Request, ResponseDefinitionBuilder>> faults = new ConcurrentHashMap<>();
    private final AtomicInteger scenarios = new AtomicInteger();
    private final Transformer transformer = new Transformer();
    private WireMockServer server;
    private UUID downMapping;

    protected PlatformStub(String prefix) {
        this.prefix = prefix;
    }

    /** The base URL a client of this platform is configured with, e.g. {@code http://127.0.0.1:PORT/meta}. */
    public String baseUrl() {
        return PlatformStubs.baseUrl(server) + "/" + prefix;
    }

    /**
     * The next {@code times} requests to this platform get their normal answer (and side effects) only after
     * {@code millis}: for client timeouts, and for retries of a request the platform did apply.
     */
    public void delayNext(int times, int millis) {
        registerNext(times, aResponse().withTransformers(transformer.getName()).withFixedDelay(millis));
    }

    /** A lower-case hex SHA-256, as the platforms take hashed identifiers (checked by hand: a regex a cell was most of the stub's time). */
    protected static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The normal answer of this platform, computed from the request and the stub's state. */
    protected abstract ResponseDefinitionBuilder answer(Request request);

    /** What every path of this platform answers while it is {@linkplain PlatformStubs#down down}. */
    protected abstract ResponseDefinitionBuilder downAnswer();

    /** Forgets audiences, members, logs and per-test settings. */
    protected abstract void clearState();

    /** The next {@code times} requests to this platform get {@code fault} instead of their answer, and change nothing. */
    protected final void failNext(int times, Function<Request, ResponseDefinitionBuilder> fault) {
        String key = prefix + "-fault-" + scenarios.incrementAndGet();
        faults.put(key, fault);
        registerNext(times, aResponse().withTransformers(transformer.getName()).withTransformerParameter(FAULT, key));
    }

    private void registerNext(int times, ResponseDefinitionBuilder response) {
        String scenario = prefix + "-scenario-" + scenarios.incrementAndGet();
        for (int i = 0; i < times; i++) {
            server.stubFor(everyPath().atPriority(SCENARIO_PRIORITY)
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after " + i)
                    .willSetStateTo("after " + (i + 1))
                    .willReturn(response));
        }
    }

    ResponseDefinitionTransformerV2 transformer() {
        return transformer;
    }

    void bind(WireMockServer server) {
        this.server = server;
        registerDefault();
    }

    /** Clears this platform's state after the server dropped every mapping, and puts the default mapping back. */
    synchronized void reset() {
        clearState();
        faults.clear();
        downMapping = null;
        registerDefault();
    }

    private void registerDefault() {
        server.stubFor(everyPath().atPriority(DEFAULT_PRIORITY).willReturn(aResponse().withTransformers(transformer.getName())));
    }

    synchronized void down() {
        if (downMapping == null) {
            downMapping = server.stubFor(everyPath().atPriority(DOWN_PRIORITY).willReturn(downAnswer())).getId();
        }
    }

    synchronized void up() {
        if (downMapping != null) {
            server.removeStubMapping(downMapping);
            downMapping = null;
        }
    }

    private MappingBuilder everyPath() {
        return any(urlPathMatching("/" + prefix + "/.*"));
    }

    /** The request path below this platform's prefix, without the query: {@code /v27.0/act_1/customaudiences}. */
    protected final String path(Request request) {
        String url = request.getUrl();
        int query = url.indexOf('?');
        return (query < 0 ? url : url.substring(0, query)).substring(prefix.length() + 1);
    }

    /** The decoded query parameters, the last value of a repeated name winning. */
    protected static Map<String, String> query(Request request) {
        String url = request.getUrl();
        int query = url.indexOf('?');
        return query < 0 ? new LinkedHashMap<>() : decodeForm(url.substring(query + 1));
    }

    /** An {@code application/x-www-form-urlencoded} string as a map. */
    protected static Map<String, String> decodeForm(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                values.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    protected static boolean isForm(Request request) {
        String type = request.getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The body as a JSON tree, or {@code null} if it is empty or not JSON. */
    protected static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    protected static ObjectNode object() {
        return JSON.createObjectNode();
    }

    protected static ResponseDefinitionBuilder json(int status, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body.toString());
    }

    protected static ResponseDefinitionBuilder html(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/html; charset=UTF-8").withBody(body);
    }

    protected static String randomDigits(int length) {
        StringBuilder digits = new StringBuilder().append(1 + RANDOM.nextInt(9));
        while (digits.length() < length) {
            digits.append(RANDOM.nextInt(10));
        }
        return digits.toString();
    }

    protected static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Thrown while validating a request to answer it with {@link #response} at once. */
    protected static final class Rejected extends RuntimeException {

        private final transient ResponseDefinitionBuilder response;

        Rejected(ResponseDefinitionBuilder response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /** Computes each answer under the stub's lock, keeping the delay a scenario mapping asked for. */
    private final class Transformer implements ResponseDefinitionTransformerV2 {

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            ResponseDefinition mapped = event.getResponseDefinition();
            Parameters parameters = mapped.getTransformerParameters();
            String fault = parameters == null ? null : parameters.getString(FAULT, null);
            ResponseDefinitionBuilder answer;
            synchronized (PlatformStub.this) {
                try {
                    answer = fault != null ? faults.get(fault).apply(event.getRequest()) : answer(event.getRequest());
                } catch (Rejected rejected) {
                    answer = rejected.response;
                }
            }
            return answer.withFixedDelay(mapped.getFixedDelayMilliseconds()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return prefix + "-platform";
        }
    }
}
