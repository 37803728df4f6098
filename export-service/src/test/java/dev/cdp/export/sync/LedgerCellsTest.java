package dev.cdp.export.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdp.export.hash.Hasher;
import org.junit.jupiter.api.Test;

class LedgerCellsTest {

    private static final String EMAIL = new Hasher().sha256Hex("ilker.demir@gmail.com");

    @Test
    void aRowOfHashesComesBackAsItWasSentInAboutHalfTheBytes() {
        String[] row = {EMAIL, null, EMAIL, "", null, null, null, null, null, null};
        byte[] packed = LedgerCells.pack(row);
        assertThat(LedgerCells.unpack(packed)).containsExactly(EMAIL, null, EMAIL, null, null, null, null, null, null, null);
        assertThat(packed).hasSize(2 * 33 + 8);
    }

    @Test
    void textThatIsNotALowerCaseHashIsKeptAsText() {
        String upper = EMAIL.toUpperCase(java.util.Locale.ROOT);
        String[] row = {upper, EMAIL.substring(1), "tr", "34394", "İstanbul Şişli", EMAIL.substring(0, 63) + "g", ""};
        assertThat(LedgerCells.unpack(LedgerCells.pack(row))).containsExactly(upper, EMAIL.substring(1), "tr", "34394", "İstanbul Şişli",
                EMAIL.substring(0, 63) + "g", null);
    }

    @Test
    void refusesWhatIsNotALedgerRow() {
        assertThatThrownBy(() -> LedgerCells.unpack(new byte[] {7})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 7");
        assertThatThrownBy(() -> LedgerCells.pack(new String[] {"x".repeat(70_000)})).isInstanceOf(IllegalArgumentException.class);
    }
}
