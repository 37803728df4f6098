package dev.cdp.devtools;

import dev.cdp.events.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) for the local run and the tests.
 *
 * <pre>
 * java -cp ... dev.cdp.devtools.LocalKafka --dir DIR [--port 9092] [--controller-port 9093] [--partitions 3] [--ephemeral]
 * </pre>
 *
 * It formats {@code DIR/data} on first use (the data survives restarts), starts the broker, creates the suite's topics and
 * then writes the bootstrap address to {@code DIR/ready}: callers wait for that file. {@code --ephemeral} is for
 * tests: the broker stops when its standard input closes (its parent process ended, however it ended) and deletes
 * its directory on the way out, so nothing outlives the test run.
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = options.dir.toAbsolutePath();
        Path ready = dir.resolve("ready");
        Files.createDirectories(dir.resolve("data"));
        Files.deleteIfExists(ready);

        Properties config = brokerConfig(dir, options);
        Path configFile = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(configFile)) {
            config.store(out, "Written by LocalKafka; regenerated at every start");
        }
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(configFile);
        }

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
                server.shutdown();
                server.awaitShutdown();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                if (options.ephemeral) {
                    deleteRecursively(dir);
                }
            }
        }, "local-kafka-shutdown"));
        server.startup();

        String bootstrap = "127.0.0.1:" + options.port;
        createTopics(bootstrap, options.partitions);
        Path pending = dir.resolve("ready.tmp");
        Files.writeString(pending, bootstrap + "\n");
        Files.move(pending, ready, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("LocalKafka ready on " + bootstrap + " (topics " + Topics.ALL + ")");

        if (options.ephemeral) {
            ParentWatch.exitWhenStdinCloses("local-kafka-parent-watch");
        }
        server.awaitShutdown();
    }

    private static Properties brokerConfig(Path dir, Options options) {
        Properties config = new Properties();
        config.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + options.controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + options.port + ",CONTROLLER://127.0.0.1:" + options.controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + options.port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dir.resolve("data").toString()),
                Map.entry("num.partitions", String.valueOf(options.partitions)),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "3"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false")));
        return config;
    }

    /** Formats new storage with a fresh cluster id; a formatted directory keeps its own (Kafka checks it at start). */
    private static void format(Path configFile) {
        // A cluster id that starts with '-' would be read as an option by the tool.
        String clusterId = Uuid.randomUuid().toString().replace('-', 'x');
        int exit = StorageTool.execute(new String[] {"format", "--cluster-id=" + clusterId,
                "--config=" + configFile}, new PrintStream(System.out, true));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exit);
        }
    }

    private static void createTopics(String bootstrap, int partitions) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            List<NewTopic> topics = Topics.ALL.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create topic " + name, e);
                }
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("the broker did not come up on " + bootstrap, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String USAGE = "LocalKafka --dir DIR [--port 9092] [--controller-port 9093] [--partitions 3] [--ephemeral]";

    private record Options(Path dir, int port, int controllerPort, int partitions, boolean ephemeral) {

        static Options parse(String[] args) {
            Path dir = null;
            int port = 9092;
            int controllerPort = 9093;
            int partitions = 3;
            boolean ephemeral = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(value(args, ++i));
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--controller-port" -> controllerPort = Integer.parseInt(value(args, ++i));
                    case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
                    case "--ephemeral" -> ephemeral = true;
                    default -> usage("unknown option " + args[i]);
                }
            }
            if (dir == null) {
                usage("--dir is required");
            }
            return new Options(dir, port, controllerPort, partitions, ephemeral);
        }

        private static String value(String[] args, int i) {
            return ToolOptions.value(args, i, USAGE);
        }

        private static void usage(String problem) {
            ToolOptions.fail(problem, USAGE);
        }
    }
}
