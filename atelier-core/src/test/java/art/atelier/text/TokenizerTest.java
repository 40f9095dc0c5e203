package art.atelier.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

import java.util.List;

class TokenizerTest {

    private static final String CORPUS = "The heron waits by the river, and the river waits for rain.\n"
            + "Rain on the river; a heron in the rain. \u00c9t\u00e9 \u2014 \u00fcber na\u00efve caf\u00e9s! 42 herons, 7 rivers.\n";

    private static final CharTokenizer CHARS = CharTokenizer.build(List.of(CORPUS), true);
    private static final ByteBpeTokenizer BPE = ByteBpeTokenizer.train(List.of(CORPUS.repeat(3)), 300, true);

    @Provide
    Arbitrary<String> overTheAlphabet() {
        char[] alphabet = CORPUS.chars().distinct().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString().toCharArray();
        return Arbitraries.strings().withChars(alphabet).ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x10FFFF) // any Unicode scalar value, astral planes included
                        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                        .list().ofMaxSize(60)
                        .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint,
                                StringBuilder::append).toString()),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200),
                Arbitraries.of("", " ", "\n\n", "  leading", "trailing  ", "\uD83C\uDFA8\uD83C\uDFB5 emoji",
                        "'s 're 've 'll", "\t\ttabs\r\n"));
    }

    @Property(seed = "20261124")
    void charTokenizerRoundTripsItsAlphabet(@ForAll("overTheAlphabet") String s) {
        assertThat(CHARS.decode(CHARS.encode(s))).isEqualTo(s);
    }

    @Property(seed = "20261124")
    void bpeRoundTripsAnyText(@ForAll("anyText") String s) {
        int[] ids = BPE.encode(s);
        assertThat(java.util.Arrays.stream(ids).boxed().toList()).allMatch(id -> id >= 0 && id < BPE.vocabSize() && id != BPE.endToken());
        assertThat(BPE.decode(ids)).isEqualTo(s);
    }

    @Property(seed = "20261124")
    void tokenizersSurviveTheirJson(@ForAll("overTheAlphabet") String s) {
        Tokenizer c = Tokenizer.fromJson(CHARS.toJson());
        Tokenizer b = Tokenizer.fromJson(BPE.toJson());
        assertThat(c.encode(s)).isEqualTo(CHARS.encode(s));
        assertThat(b.encode(s)).isEqualTo(BPE.encode(s));
    }

    @Example
    void charVocabularyIsTheSortedAlphabetPlusEnd() {
        CharTokenizer t = CharTokenizer.build(List.of("cab"), false);
        assertThat(t.vocabSize()).isEqualTo(3);
        assertThat(t.encode("abc")).containsExactly(0, 1, 2);
        assertThat(t.endToken()).isEqualTo(-1);
        assertThat(CharTokenizer.build(List.of("cab"), true).endToken()).isEqualTo(3);
    }

    @Example
    void unknownCharactersAreNamed() {
        assertThatThrownBy(() -> CHARS.encode("zebra \u263A"))
                .isInstanceOf(Tokenizer.UnknownCharacterException.class)
                .hasMessageContaining("'z' (U+007A) at position 0")
                .hasMessageContaining("--tokenizer bpe");
    }

    @Example
    void bpeLearnsFrequentPairsDeterministicallyAndCompresses() {
        ByteBpeTokenizer again = ByteBpeTokenizer.train(List.of(CORPUS.repeat(3)), 300, true);
        assertThat(again.toJson()).isEqualTo(BPE.toJson());
        assertThat(BPE.encode(" river").length).isEqualTo(1); // a frequent word becomes one token
        assertThat(BPE.encode(CORPUS).length).isLessThan(CORPUS.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 2);
        assertThat(BPE.vocabSize()).isLessThanOrEqualTo(300);
    }

    @Example
    void bpeStopsWhenNoPairRepeatsAndRefusesATooSmallVocabulary() {
        ByteBpeTokenizer small = ByteBpeTokenizer.train(List.of("abcdefg"), 1000, false);
        assertThat(small.mergeCount()).isZero();
        assertThatThrownBy(() -> ByteBpeTokenizer.train(List.of("x"), 200, false))
                .hasMessageContaining("at least 256");
    }

    @Example
    void decodingAPartialCharacterWaitsForTheRest() {
        int[] ids = new int[] {0xE2, 0x82}; // the first two bytes of '€'
        assertThat(BPE.decode(ids)).isEmpty();
        assertThat(BPE.decode(new int[] {0xE2, 0x82, 0xAC})).isEqualTo("\u20ac");
    }
}
