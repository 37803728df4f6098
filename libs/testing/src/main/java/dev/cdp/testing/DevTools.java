package dev.cdp.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the suite's dev tools (libs/devtools) as child processes of the test JVM. */
final class DevTools {

    private DevTools() {
    }

    static ProcessBuilder command(String mainClass, List<String> args) {
        Path devtools = root().resolve("libs/devtools/target");
        if (!Files.isDirectory(devtools.resolve("lib")) || !Files.isDirectory(devtools.resolve("classes"))) {
            throw new IllegalStateException("The dev tools are not built: run the tests through the reactor "
                    + "(./mvnw verify, or -pl <module> -am), which packages libs/devtools first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", devtools.resolve("classes") + File.pathSeparator + devtools.resolve("lib") + File.separator + "*",
                mainClass));
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /**
     * Starts a long-running tool ({@code --ephemeral}: it ends when its standard input closes) whose output goes to
     * {@code log}, and stops it when this JVM ends.
     */
    static Process startChild(String mainClass, List<String> args, Path log) throws IOException {
        Process child = command(mainClass, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), mainClass + "-stop"));
        return child;
    }

    /** Waits for the tool to write its {@code ready} file and answers what it wrote (its address). */
    static String awaitReady(Process child, Path ready, Duration timeout, Path log, String what) {
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (!Files.exists(ready)) {
                if (!child.isAlive() || Instant.now().isAfter(deadline)) {
                    kill(child);
                    throw new IllegalStateException(what + " did not start; its log:\n" + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return Files.readString(ready).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + what, e);
        }
    }

    /** Closing its standard input is the signal for the tool to stop what it runs and exit. */
    private static void stop(Process child) {
        try {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                kill(child);
            }
        } catch (IOException | InterruptedException e) {
            kill(child);
        }
    }

    /** What the tool runs (Keycloak's server is its child) goes first. */
    private static void kill(Process child) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Runs a tool to completion; its output goes to {@code log}. */
    static void run(String mainClass, List<String> args, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = command(mainClass, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(mainClass + " failed (exit " + exit + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + mainClass, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
    }

    /** The repository root: the build passes it as {@code cdp.root}. */
    static Path root() {
        String root = System.getProperty("cdp.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property cdp.root is not set (the parent pom's surefire configuration sets it)");
        }
        return Path.of(root);
    }

    /** Where this module's test artifacts go: {@code target/} of the module under test. */
    static Path buildDirectory() {
        return Path.of("target").toAbsolutePath();
    }
}
