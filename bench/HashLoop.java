import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The yardstick of bench/export.sh: a bare loop that only SHA-256-hashes the given strings (one a line, already
 * normalized) to lower-case hex, with one reused MessageDigest, as fast as this JVM can. Prints strings hashed per
 * second of the best of five passes. Run as a source file: java bench/HashLoop.java FILE
 */
public class HashLoop {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public static void main(String[] args) throws Exception {
        String[] values = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8).toArray(String[]::new);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        char[] hex = new char[64];
        long best = Long.MAX_VALUE;
        long checksum = 0;
        for (int pass = 0; pass < 5; pass++) {
            long started = System.nanoTime();
            for (String value : values) {
                byte[] digest = sha256.digest(value.getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 32; i++) {
                    hex[2 * i] = HEX[(digest[i] >>> 4) & 0x0f];
                    hex[2 * i + 1] = HEX[digest[i] & 0x0f];
                }
                checksum += new String(hex).charAt(7); // keeps the work from being optimized away
            }
            best = Math.min(best, System.nanoTime() - started);
        }
        System.out.printf("%d %d%n", Math.round(values.length / (best / 1e9)), checksum);
    }
}
