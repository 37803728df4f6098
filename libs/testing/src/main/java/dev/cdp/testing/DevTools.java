package dev.cdp.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
