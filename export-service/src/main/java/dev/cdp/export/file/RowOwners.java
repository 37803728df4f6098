package dev.cdp.export.file;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Set;
import java.util.UUID;

/**
 * Whose each row of an export file is: the customer ids of its data rows, in order, 16 bytes each, in a file next to
 * it. The rows hold only hashes, which cannot be traced back to a customer; with this an erasure takes a customer's
 * rows out of a kept file ({@link #remove}).
 */
public final class RowOwners {

    private static final int BUFFER = 1 << 16;

    private RowOwners() {
    }

    /** Appends the owner of each row written, in the order the rows are written. */
    public static final class Writer implements Closeable {

        private final DataOutputStream out;

        private Writer(Path path) throws IOException {
            this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), BUFFER));
        }

        public void add(UUID customerId) throws IOException {
            out.writeLong(customerId.getMostSignificantBits());
            out.writeLong(customerId.getLeastSignificantBits());
        }

        /** Flushes and forces the file to disk. */
        public void finish(Path path) throws IOException {
            out.flush();
            force(path);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    public static Writer writer(Path path) throws IOException {
        return new Writer(path);
    }

    /** What {@link #remove} took out: rows, and the file's size after. */
    public record Removed(long rows, long sizeBytes) {
    }

    /**
     * Rewrites {@code csv} (a header row, then one row per owner) and {@code owners} without the rows of
     * {@code customers}, each replaced whole at once (a reader sees the old file or the new one); nothing is rewritten
     * when none of them is there.
     *
     * @throws IOException also when the file's rows and its owners do not agree in number
     */
    public static Removed remove(Path csv, Path owners, Set<UUID> customers) throws IOException {
        long count = Files.size(owners) / 16;
        BitSet dropped = new BitSet();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(owners), BUFFER))) {
            for (int row = 0; row < count; row++) {
                if (customers.contains(new UUID(in.readLong(), in.readLong()))) {
                    dropped.set(row);
                }
            }
        }
        if (dropped.isEmpty()) {
            return new Removed(0, Files.size(csv));
        }
        Path csvNext = csv.resolveSibling(csv.getFileName() + ".erasing");
        Path ownersNext = owners.resolveSibling(owners.getFileName() + ".erasing");
        try (InputStream rows = new BufferedInputStream(Files.newInputStream(csv), BUFFER);
                DataInputStream ownersIn = new DataInputStream(new BufferedInputStream(Files.newInputStream(owners), BUFFER));
                OutputStream rowsOut = new BufferedOutputStream(Files.newOutputStream(csvNext), BUFFER);
                DataOutputStream ownersOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(ownersNext), BUFFER))) {
            if (!copyRecord(rows, rowsOut)) {
                throw new IOException("the file has no header row");
            }
            for (int row = 0; row < count; row++) {
                long most = ownersIn.readLong();
                long least = ownersIn.readLong();
                boolean keep = !dropped.get(row);
                if (!copyRecord(rows, keep ? rowsOut : OutputStream.nullOutputStream())) {
                    throw new IOException("the file has fewer rows (" + row + ") than owners (" + count + ")");
                }
                if (keep) {
                    ownersOut.writeLong(most);
                    ownersOut.writeLong(least);
                }
            }
            if (rows.read() != -1) {
                throw new IOException("the file has more rows than owners (" + count + ")");
            }
        } catch (EOFException e) {
            discard(csvNext, ownersNext);
            throw new IOException("the owners file ends early", e);
        } catch (IOException | RuntimeException e) {
            discard(csvNext, ownersNext);
            throw e;
        }
        force(csvNext);
        force(ownersNext);
        Files.move(ownersNext, owners, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(csvNext, csv, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Removed(dropped.cardinality(), Files.size(csv));
    }

    /** Copies one RFC 4180 record, up to and including its CRLF outside quotes; false at the end of the input. */
    private static boolean copyRecord(InputStream in, OutputStream out) throws IOException {
        int previous = -1;
        boolean quoted = false;
        int b = in.read();
        if (b == -1) {
            return false;
        }
        while (b != -1) {
            out.write(b);
            if (b == '"') {
                quoted = !quoted; // an escaped quote ("") toggles twice
            } else if (b == '\n' && previous == '\r' && !quoted) {
                return true;
            }
            previous = b;
            b = in.read();
        }
        return true; // the last record without its line end
    }

    private static void discard(Path... partial) throws IOException {
        for (Path path : partial) {
            Files.deleteIfExists(path);
        }
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
