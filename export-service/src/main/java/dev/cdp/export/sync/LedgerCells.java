package dev.cdp.export.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * How the ledger stores a row as it was sent: each cell as one tag byte and its content. A SHA-256 hash (64 lower-case
 * hex characters) is kept as its 32 bytes, any other text as its UTF-8 length (two bytes) and bytes, an empty cell as
 * the tag alone. A full upload writes a row per member twice (in flight, then in the ledger), and the hex text was
 * twice the bytes to write (docs/performance.md).
 */
public final class LedgerCells {

    private static final byte EMPTY = 0;
    private static final byte HASH = 1;
    private static final byte TEXT = 2;
    private static final HexFormat HEX = HexFormat.of();

    private LedgerCells() {
    }

    public static byte[] pack(String[] cells) {
        byte[] packed = new byte[cells.length * 33];
        int at = 0;
        for (String cell : cells) {
            if (cell == null || cell.isEmpty()) {
                packed = room(packed, at, 1);
                packed[at++] = EMPTY;
            } else if (isHash(cell)) {
                packed = room(packed, at, 33);
                packed[at++] = HASH;
                for (int i = 0; i < 64; i += 2) {
                    packed[at++] = (byte) (Character.digit(cell.charAt(i), 16) << 4 | Character.digit(cell.charAt(i + 1), 16));
                }
            } else {
                byte[] text = cell.getBytes(StandardCharsets.UTF_8);
                if (text.length > 0xFFFF) {
                    throw new IllegalArgumentException("a cell of " + text.length + " bytes is more than a ledger row holds");
                }
                packed = room(packed, at, 3 + text.length);
                packed[at++] = TEXT;
                packed[at++] = (byte) (text.length >>> 8);
                packed[at++] = (byte) text.length;
                System.arraycopy(text, 0, packed, at, text.length);
                at += text.length;
            }
        }
        return Arrays.copyOf(packed, at);
    }

    private static byte[] room(byte[] packed, int at, int needed) {
        return at + needed <= packed.length ? packed : Arrays.copyOf(packed, Math.max(packed.length * 2, at + needed));
    }

    /** The cells {@link #pack} was given; an empty cell comes back as null. */
    public static String[] unpack(byte[] packed) {
        List<String> cells = new ArrayList<>();
        int at = 0;
        while (at < packed.length) {
            byte tag = packed[at++];
            switch (tag) {
                case EMPTY -> cells.add(null);
                case HASH -> {
                    cells.add(HEX.formatHex(packed, at, at + 32));
                    at += 32;
                }
                case TEXT -> {
                    int length = (packed[at] & 0xFF) << 8 | packed[at + 1] & 0xFF;
                    cells.add(new String(packed, at + 2, length, StandardCharsets.UTF_8));
                    at += 2 + length;
                }
                default -> throw new IllegalArgumentException("not a ledger row: tag " + tag + " at byte " + (at - 1));
            }
        }
        return cells.toArray(new String[0]);
    }

    private static boolean isHash(String cell) {
        if (cell.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = cell.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
