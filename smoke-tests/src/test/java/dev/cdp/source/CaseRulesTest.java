package dev.cdp.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main code changes case by the JVM's default locale: under a Turkish one, {@code "I".toLowerCase()} is a dotless
 * {@code ı}, and an identifier, a key or a type would then mean other bytes on another machine.
 */
class CaseRulesTest {

    private static final Path ROOT = Path.of(System.getProperty("cdp.root"));
    private static final Pattern DEFAULT_LOCALE_CASE = Pattern.compile("\\.to(Lower|Upper)Case\\(\\)|::to(Lower|Upper)Case\\b");

    @Test
    void everyCaseChangeInMainCodeNamesItsRule() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(ROOT)) {
            offenders = files.filter(file -> file.toString().endsWith(".java") && file.toString().contains("/src/main/"))
                    .filter(file -> !file.toString().contains("/target/") && !file.toString().contains("/node_modules/"))
                    .flatMap(file -> lines(file).filter(line -> DEFAULT_LOCALE_CASE.matcher(line).find())
                            .map(line -> ROOT.relativize(file) + ": " + line.strip()))
                    .toList();
        }
        assertThat(offenders).as("toLowerCase()/toUpperCase() without a Locale, or as a method reference").isEmpty();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
