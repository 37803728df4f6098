package dev.cdp.export.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** The shortcuts {@link Text} takes past {@link Normalizer} give what the full rules give. */
class TextTest {

    @Test
    void everyStringBelowTheCombiningMarksIsInNfcAlready() {
        StringBuilder pair = new StringBuilder("  ");
        for (char first = 0; first < 0x300; first++) {
            assertThat(Normalizer.isNormalized(String.valueOf(first), Normalizer.Form.NFC)).as("U+%04X", (int) first).isTrue();
            for (char second = 0; second < 0x300; second++) {
                pair.setCharAt(0, first);
                pair.setCharAt(1, second);
                assertThat(Normalizer.isNormalized(pair, Normalizer.Form.NFC)).as("U+%04X U+%04X", (int) first, (int) second).isTrue();
            }
        }
    }

    @Property(tries = 2000)
    void asciiLettersByTableAreAsciiLettersByDecomposition(@ForAll("latinHeavy") String value) {
        assertThat(Text.asciiLetters(value)).isEqualTo(Text.asciiLettersByDecomposition(value));
    }

    @Test
    void turkishAndOtherLatinNamesAreSpelledInAscii() {
        assertThat(Text.asciiLetters("Şükrü Çağlayan-Öztürk")).isEqualTo("sukrucaglayanozturk");
        assertThat(Text.asciiLetters("İbrahim Işıl")).isEqualTo("ibrahimisil");
        assertThat(Text.asciiLetters("Straße Œuvre Łódź ª")).isEqualTo("strasseoeuvrelodza");
        assertThat(Text.asciiLetters("e\u0301l\u00e8ve")).as("a combining mark: the full rule").isEqualTo("eleve");
    }

    @Test
    void aMicroSignIsNotALatinLetter() {
        assertThat(Text.hasNonLatinLetter("µ")).isTrue();
        assertThat(Text.hasNonLatinLetter("Ayşe Yılmaz ª")).isFalse();
        assertThat(Text.hasNonLatinLetter("Ayşe Иван")).isTrue();
    }

    /** Mostly ASCII and accented Latin, with combining marks, Greek, Cyrillic, compatibility forms and symbols among them. */
    @Provide
    Arbitrary<String> latinHeavy() {
        Arbitrary<Character> character = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.chars().range(' ', '~')),
                Tuple.of(5, Arbitraries.chars().range('\u0080', '\u017f')),
                Tuple.of(1, Arbitraries.chars().range('\u0180', '\u036f')),
                Tuple.of(1, Arbitraries.chars().range('\u0370', '\u04ff')),
                Tuple.of(1, Arbitraries.chars().range('\u1e00', '\u1eff')),
                Tuple.of(1, Arbitraries.chars().range('\ufb00', '\ufb06')));
        return character.list().ofMaxSize(12).map(chars -> {
            StringBuilder value = new StringBuilder();
            chars.forEach(value::append);
            return value.toString();
        });
    }
}
