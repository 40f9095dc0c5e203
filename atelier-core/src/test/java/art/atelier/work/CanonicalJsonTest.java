package art.atelier.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.AtelierException;
import art.atelier.util.Json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

class CanonicalJsonTest {

    @Example
    void sortsKeysDropsWhitespaceAndNullMembersAndKeepsNumbersAsWritten() {
        JsonElement e = CanonicalJson.parse("""
                {
                  "z": [1.50, 1e5, -0, 12345678901234567890123],
                  "a": {"y": true, "b": null, "n": [null]},
                  "é": "x",
                  "B": 7
                }""", "test");
        assertThat(CanonicalJson.write(e))
                .isEqualTo("{\"B\":7,\"a\":{\"n\":[null],\"y\":true},\"z\":[1.50,1e5,-0,12345678901234567890123],\"é\":\"x\"}");
    }

    @Example
    void escapesMinimallyAndConsistently() {
        JsonObject o = new JsonObject();
        o.addProperty("s", "quote\" back\\ slash/ \b\f\n\r\t \u0001\u001f \u007f é 😀 \u2028 lone\ud800 end\udc00");
        assertThat(CanonicalJson.write(o)).isEqualTo("{\"s\":\"quote\\\" back\\\\ slash/ \\b\\f\\n\\r\\t \\u0001\\u001f"
                + " \u007f é 😀 \u2028 lone\\ud800 end\\udc00\"}");
        // The escaped form is valid UTF-16, so the bytes say exactly what the string is.
        byte[] bytes = CanonicalJson.bytes(o);
        assertThat(CanonicalJson.parse(new String(bytes, StandardCharsets.UTF_8), "bytes")).isEqualTo(o);
    }

    @Example
    void keysSortByUtf16CodeUnitsAsRfc8785Does() {
        JsonObject o = new JsonObject();
        o.addProperty("\uD83D\uDE00", 1); // U+1F600, high surrogate D83D
        o.addProperty("\uFB33", 2); // after D83D in UTF-16, before it in code points
        o.addProperty("a", 3);
        assertThat(CanonicalJson.write(o)).isEqualTo("{\"a\":3,\"\uD83D\uDE00\":1,\"\uFB33\":2}");
    }

    @Example
    void numbersBuiltInCodeAreWrittenAsTheirText() {
        JsonArray a = new JsonArray();
        a.add(7L);
        a.add(0.5);
        a.add(1e20);
        a.add(new BigDecimal("1E+3"));
        a.add(new BigInteger("-18446744073709551616"));
        assertThat(CanonicalJson.write(a)).isEqualTo("[7,0.5,1.0E20,1E+3,-18446744073709551616]");
    }

    @Example
    void refusesWhatJsonCannotSay() {
        JsonArray a = new JsonArray();
        a.add(Double.NaN);
        assertThatThrownBy(() -> CanonicalJson.write(a)).isInstanceOf(AtelierException.class).hasMessageContaining("NaN");
        JsonArray b = new JsonArray();
        b.add(new LazilyParsedNumber("0x10"));
        assertThatThrownBy(() -> CanonicalJson.write(b)).hasMessageContaining("0x10");
    }

    @Example
    void parsingIsStrictAndNamesTheSource() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":2}", "x.json"))
                .isInstanceOf(AtelierException.class).hasMessageStartingWith("x.json is not valid JSON")
                .hasMessageContaining("\"a\" appears twice");
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1} {}", "x.json")).hasMessageContaining("more follows");
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":NaN}", "x.json")).hasMessageStartingWith("x.json");
        assertThatThrownBy(() -> CanonicalJson.parse("{// comment\n\"a\":1}", "x.json")).hasMessageStartingWith("x.json");
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1", "x.json")).hasMessageStartingWith("x.json")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> CanonicalJson.parse("[".repeat(500) + "]".repeat(500), "deep.json"))
                .hasMessageContaining("nested deeper than");
        assertThatThrownBy(() -> CanonicalJson.parseObject("[1]", "x.json")).hasMessage("x.json is not a JSON object but an array");
    }

    @Property(seed = "20250301", tries = 400)
    void prettyOrCompactReReadAndReWrittenSignTheSameBytes(@ForAll("trees") JsonElement x) {
        String canonical = CanonicalJson.write(x);
        String pretty = Json.gson().toJson(x);
        String compact = Json.compact(x);
        assertThat(CanonicalJson.write(CanonicalJson.parse(pretty, "pretty"))).isEqualTo(canonical);
        assertThat(CanonicalJson.write(CanonicalJson.parse(compact, "compact"))).isEqualTo(canonical);
        assertThat(CanonicalJson.write(JsonParser.parseString(pretty))).isEqualTo(canonical); // Gson's own reader
        assertThat(CanonicalJson.write(CanonicalJson.parse(canonical, "canonical"))).isEqualTo(canonical);
    }

    @Provide
    Arbitrary<JsonElement> trees() {
        return tree(3);
    }

    private Arbitrary<JsonElement> tree(int depth) {
        Arbitrary<String> strings = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
                Arbitraries.of("", "\u2028\u2029", "\ud800", "x\udfff", "\"\\/", "\u0000\u001f\u007f", "été 😀",
                        "</script>", "\u00a0\ufeff"));
        Arbitrary<JsonElement> numbers = Arbitraries.oneOf(
                Arbitraries.longs().map(JsonPrimitive::new),
                Arbitraries.doubles().filter(Double::isFinite).map(JsonPrimitive::new),
                Arbitraries.integers().map(JsonPrimitive::new),
                Arbitraries.of("1.50", "-0", "1e5", "2E-7", "0.000", "123456789012345678901234567890", "-1.0e+300")
                        .map(s -> new JsonPrimitive(new LazilyParsedNumber(s))));
        Arbitrary<JsonElement> leaf = Arbitraries.oneOf(strings.map(JsonPrimitive::new), numbers,
                Arbitraries.of(true, false).map(JsonPrimitive::new), Arbitraries.just(JsonNull.INSTANCE));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonElement> sub = tree(depth - 1);
        Arbitrary<JsonElement> array = sub.list().ofMaxSize(4).map(l -> {
            JsonArray a = new JsonArray();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonElement> object = Arbitraries.maps(strings, sub).ofMaxSize(4).map(m -> {
            JsonObject o = new JsonObject();
            m.forEach(o::add);
            return o;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(2, object));
    }
}
