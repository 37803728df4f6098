package dev.cdp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment files checked offline (no cluster and no container engine here): every kustomize overlay builds and
 * its objects validate against the Kubernetes schemas; docker-compose.yml validates; and the wiring that matters holds
 * in both: every service has its probes, limits and port, sets only environment variables the services read and gets
 * the ones they need, references secrets that exist, and runs the image the Dockerfile builds for it.
 */
class DeployManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("cdp.root"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Integer> PORTS = Map.of("ingestion-service", 8081, "profile-service", 8082, "segment-service", 8083,
            "export-service", 8084);
    /** Set by the images or read by Quarkus itself rather than named in application.properties. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("QUARKUS_HTTP_PORT", "JAVA_OPTS_APPEND");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsDeployedWithProbesLimitsItsPortAndOnlyTheSettingsItReads(String overlay) throws Exception {
        List<JsonNode> objects = kustomize("deploy/k8s/overlays/" + overlay);
        Map<String, JsonNode> configMap = new HashMap<>();
        objects.stream().filter(o -> kind(o, "ConfigMap") && name(o).equals("cdp-config")).forEach(o -> o.path("data").fields()
                .forEachRemaining(e -> configMap.put(e.getKey(), e.getValue())));
        Set<String> known = variablesTheServicesRead();
        assertThat(configMap.keySet()).as("cdp-config sets only what the services read").isSubsetOf(known);

        for (Map.Entry<String, Integer> service : PORTS.entrySet()) {
            JsonNode deployment = single(objects, "Deployment", service.getKey());
            JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
            assertThat(container.path("image").asText()).as("image").matches("(.+/)?cdp/" + service.getKey() + ":[\\w.-]+");
            assertThat(container.path("ports").path(0).path("containerPort").asInt()).isEqualTo(service.getValue());
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
            }
            assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            for (String bound : List.of("requests", "limits")) {
                assertThat(container.path("resources").path(bound).has("cpu")).as(bound + " cpu").isTrue();
                assertThat(container.path("resources").path(bound).has("memory")).as(bound + " memory").isTrue();
            }
            Map<String, String> env = new HashMap<>();
            configMap.forEach((name, value) -> env.put(name, value.asText()));
            for (JsonNode variable : container.path("env")) {
                env.put(variable.path("name").asText(), variable.path("value").asText(null));
                JsonNode secret = variable.path("valueFrom").path("secretKeyRef");
                if (!secret.isMissingNode() && overlay.equals("dev")) {
                    assertThat(secretKeys(objects, secret.path("name").asText())).as("secret key of " + variable.path("name").asText())
                            .contains(secret.path("key").asText());
                }
            }
            assertThat(env.keySet()).as(service.getKey() + " sets only what the services read").isSubsetOf(union(known, PLATFORM_VARIABLES));
            assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(String.valueOf(service.getValue()));
            assertThat(env.keySet()).as(service.getKey() + " gets what it needs").containsAll(needs(service.getKey()));

            JsonNode kubeService = single(objects, "Service", service.getKey());
            assertThat(kubeService.path("spec").path("ports").path(0).path("port").asInt()).isEqualTo(service.getValue());
            assertThat(kubeService.path("spec").path("selector")).isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
            assertThat(single(objects, "PodDisruptionBudget", service.getKey()).path("spec").path("selector").path("matchLabels"))
                    .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
        }
        for (String scaled : List.of("ingestion-service", "profile-service")) {
            JsonNode target = single(objects, "HorizontalPodAutoscaler", scaled).path("spec").path("scaleTargetRef");
            assertThat(target.path("kind").asText() + "/" + target.path("name").asText()).isEqualTo("Deployment/" + scaled);
        }
        assertThat(objects.stream().filter(o -> kind(o, "NetworkPolicy")).count()).isGreaterThanOrEqualTo(2);
        assertThat(objects.stream().anyMatch(o -> kind(o, "PersistentVolumeClaim") && name(o).equals("export-files"))).isTrue();
    }

    /** With deploy/validate (npm's kubernetes-models, installed into target/ on first use). */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectValidatesAgainstTheKubernetesSchema(String overlay) throws Exception {
        Path validator = Path.of("target", "k8s-validate").toAbsolutePath();
        Files.createDirectories(validator);
        for (String file : List.of("package.json", "validate.mjs")) {
            Files.copy(ROOT.resolve("deploy/validate/" + file), validator.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(validator.resolve("node_modules/kubernetes-models"))) {
            assertThat(run(validator, null, "npm", "install", "--no-audit", "--no-fund", "--silent")).as("npm install").startsWith("0 ");
        }
        String objects = run(ROOT, null, "kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/" + overlay).toString());
        assertThat(objects).startsWith("0 ");
        String report = run(validator, objects.substring(2), "node", "validate.mjs");
        assertThat(report).as(report).startsWith("0 ").contains(" 0 invalid");
    }

    /** With Compose v1 from Debian (installed with apt-get when missing), which knows the file format offline. */
    @Test
    void composeFileValidates() throws Exception {
        if (!run(ROOT, null, "sh", "-c", "command -v docker-compose").startsWith("0 ")) {
            String installed = run(ROOT, null, "sh", "-c", "export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q docker-compose"
                    + " || (apt-get update -q && apt-get install -y -q docker-compose)");
            assertThat(installed).as("docker-compose validates docker-compose.yml; install it with apt-get install docker-compose:\n" + installed)
                    .startsWith("0 ");
        }
        String result = run(ROOT, null, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
        assertThat(result).as(result).startsWith("0 ");
    }

    @Test
    void composeBuildsEachServiceFromTheDockerfileAndWiresItLikeTheCluster() throws Exception {
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        Set<String> known = union(variablesTheServicesRead(), PLATFORM_VARIABLES);
        for (Map.Entry<String, Integer> service : PORTS.entrySet()) {
            JsonNode definition = compose.path("services").path(service.getKey());
            assertThat(definition.path("build").path("dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile.jvm");
            assertThat(definition.path("build").path("args").path("SERVICE").asText()).isEqualTo(service.getKey());
            assertThat(definition.path("build").path("args").path("PORT").asInt()).isEqualTo(service.getValue());
            assertThat(definition.path("image").asText()).contains("/" + service.getKey() + ":");
            assertThat(definition.path("ports").path(0).asText()).isEqualTo(service.getValue() + ":" + service.getValue());
            assertThat(definition.path("environment").path("QUARKUS_HTTP_PORT").asInt()).isEqualTo(service.getValue());
            Set<String> names = new TreeSet<>();
            definition.path("environment").fieldNames().forEachRemaining(names::add);
            assertThat(names).as(service.getKey()).isSubsetOf(known).containsAll(needs(service.getKey()));
            assertThat(definition.has("mem_limit") && definition.has("cpus")).as("resource limits").isTrue();
            definition.path("depends_on").forEach(dependency -> assertThat(dependency.path("condition").asText()).startsWith("service_"));
        }
        assertThat(compose.path("services").path("postgres").has("healthcheck")).isTrue();
        assertThat(compose.path("services").path("kafka").has("healthcheck")).isTrue();
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile.jvm"));
        assertThat(dockerfile).contains("ARG SERVICE", "/build/$SERVICE/target/quarkus-app/", "USER 185", "HEALTHCHECK");
        assertThat(Files.readString(ROOT.resolve("deploy/docker/Dockerfile.native"))).contains("mandrel", "USER 1001", "-Pnative");
    }

    /** What each service cannot run without. */
    private static Set<String> needs(String service) {
        return switch (service) {
            case "ingestion-service" -> Set.of("KAFKA_BOOTSTRAP_SERVERS", "CDP_DB_URL", "CDP_DB_USER", "CDP_DB_PASSWORD", "CDP_OIDC_ISSUER");
            case "export-service" -> Set.of("CDP_DB_URL", "CDP_DB_USER", "CDP_DB_PASSWORD", "CDP_SEGMENT_SERVICE_URL", "CDP_EXPORT_DIRECTORY",
                    "CDP_OIDC_ISSUER", "CDP_OIDC_CLIENT_SECRET");
            case "profile-service" -> Set.of("KAFKA_BOOTSTRAP_SERVERS", "CDP_DB_URL", "CDP_DB_USER", "CDP_DB_PASSWORD", "CDP_OIDC_ISSUER",
                    "CDP_OIDC_CLIENT_SECRET", "CDP_SUPPRESSION_KEY", "CDP_SEGMENT_SERVICE_URL", "CDP_EXPORT_SERVICE_URL");
            case "segment-service" -> Set.of("KAFKA_BOOTSTRAP_SERVERS", "CDP_DB_URL", "CDP_DB_USER", "CDP_DB_PASSWORD", "CDP_OIDC_ISSUER",
                    "CDP_CONSOLE_CLIENT_SECRET", "CDP_CONSOLE_SESSION_SECRET", "CDP_PROFILE_SERVICE_URL", "CDP_INGESTION_SERVICE_URL",
                    "CDP_EXPORT_SERVICE_URL");
            default -> Set.of("KAFKA_BOOTSTRAP_SERVERS", "CDP_DB_URL", "CDP_DB_USER", "CDP_DB_PASSWORD", "CDP_OIDC_ISSUER");
        };
    }

    /** Every ${NAME} the services' application.properties read. */
    private static Set<String> variablesTheServicesRead() throws IOException {
        Set<String> names = new HashSet<>();
        Pattern variable = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
        List<Path> configs = new ArrayList<>(List.of(ROOT.resolve("libs/security/src/main/resources/META-INF/microprofile-config.properties")));
        PORTS.keySet().forEach(service -> configs.add(ROOT.resolve(service + "/src/main/resources/application.properties")));
        for (Path config : configs) {
            Matcher found = variable.matcher(Files.readString(config));
            while (found.find()) {
                names.add(found.group(1));
            }
        }
        return names;
    }

    /** Runs a command in a directory, with {@code input} on its stdin; answers its exit status, a space and its output. */
    private static String run(Path directory, String input, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command) + " finishes").isTrue();
        return process.exitValue() + " " + output;
    }

    private static List<JsonNode> kustomize(String directory) throws Exception {
        String result = run(ROOT, null, "kubectl", "kustomize", ROOT.resolve(directory).toString());
        assertThat(result).as("kubectl kustomize " + directory + ": " + result).startsWith("0 ");
        String output = result.substring(2);
        List<JsonNode> objects = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(YAML.getFactory().createParser(output)).forEachRemaining(o -> objects.add((JsonNode) o));
        return objects;
    }

    private static JsonNode single(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = objects.stream().filter(o -> kind(o, kind) && name(o).equals(name)).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    private static Set<String> secretKeys(List<JsonNode> objects, String name) {
        Set<String> keys = new HashSet<>();
        single(objects, "Secret", name).path("data").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static boolean kind(JsonNode object, String kind) {
        return object.path("kind").asText().equals(kind);
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
