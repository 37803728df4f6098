package dev.cdp.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextKeysTest {

    @Test
    void storableTextIsWhatPostgresqlCanHold() {
        assertThat(TextKeys.storable("İstanbul, Kadıköy ⛽ 😀")).isTrue(); // a pair of surrogates is one character
        assertThat(TextKeys.storable("")).isTrue();
        assertThat(TextKeys.storable("a\u0000b")).isFalse();
        assertThat(TextKeys.storable("\ud800")).isFalse(); // a high half alone
        assertThat(TextKeys.storable("a\udc00")).isFalse(); // a low half alone
        assertThat(TextKeys.storable("\udc00\ud800")).isFalse(); // both halves, in the wrong order
        assertThat(TextKeys.storable("\ud83d\ude00")).isTrue();
    }

    @Test
    void theStorableFormReplacesOnlyWhatCannotBeStored() {
        assertThat(TextKeys.storableForm("/profiles/a\u0000b")).isEqualTo("/profiles/a\uFFFDb");
        assertThat(TextKeys.storableForm("\ud800x\ud83d\ude00")).isEqualTo("\uFFFDx\ud83d\ude00");
        assertThat(TextKeys.storableForm("İstanbul")).isEqualTo("İstanbul");
    }
}
