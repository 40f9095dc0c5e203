package art.atelier.work;

import art.atelier.AtelierException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The exact bytes a signature covers: a JSON tree written so that every way of writing the same
 * document — pretty or compact, re-read and re-written by any JSON library — gives the same bytes.
 *
 * <p>The form follows the JSON Canonicalization Scheme (RFC 8785) in everything but numbers:
 * <ul>
 *   <li>object members sorted by key, comparing UTF-16 code units ({@link String#compareTo});</li>
 *   <li>object members whose value is null left out, as absent ones: the project's Gson
 *       ({@link art.atelier.util.Json}) does not write them, so a document re-written by it must
 *       keep its signature (nulls in arrays are kept, as Gson keeps them);</li>
 *   <li>no whitespace between tokens;</li>
 *   <li>strings escaped minimally: {@code \"} and {@code \\}, the short escapes {@code \b \f \n \r \t},
 *       {@code \}{@code u00xx} (lowercase hex) for the other control characters below U+0020, and — a
 *       case RFC 8785 rejects — {@code \}{@code udxxx} for an unpaired surrogate; every other
 *       character, non-ASCII included, as itself;</li>
 *   <li>numbers as their literal text as parsed (Gson's {@link LazilyParsedNumber} keeps it), so
 *       that {@code 1.50} stays {@code 1.50} and a 64-bit seed never passes through a double. A number
 *       built in code is written as its {@code toString()}. Either way the text must be a JSON number
 *       (RFC 8259 §6): NaN and the infinities are refused;</li>
 *   <li>the result encoded as UTF-8.</li>
 * </ul>
 *
 * <p>{@link #parse} is the matching reader: strict RFC 8259 JSON (no comments, no NaN, nothing after
 * the value) that refuses duplicate object keys, since two readers could keep different copies of
 * one and so see different documents under one signature.
 */
public final class CanonicalJson {

    /** Objects and arrays nest at most this deep: deeper documents are refused, not overflowed. */
    public static final int MAX_DEPTH = 200;

    /** A number as RFC 8259 §6 writes it. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    /**
     * @param json a JSON tree (a null reference is taken as JSON null)
     * @return its canonical form as UTF-8 bytes: what a signature covers
     * @throws AtelierException if the tree holds a number that JSON cannot write (NaN, an infinity)
     *     or nests deeper than {@value #MAX_DEPTH}
     */
    public static byte[] bytes(JsonElement json) {
        return write(json).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param json a JSON tree (a null reference is taken as JSON null)
     * @return its canonical form as text; it holds no unpaired surrogate, so its UTF-8 encoding is exact
     * @throws AtelierException as {@link #bytes}
     */
    public static String write(JsonElement json) {
        StringBuilder out = new StringBuilder(256);
        write(json, out, 0);
        return out.toString();
    }

    /**
     * Reads strict JSON into a tree whose numbers keep their literal text.
     *
     * @param json the text
     * @param source what the text is, for the error message ("x.json", "the manifest embedded in x.png")
     * @return the tree
     * @throws AtelierException naming {@code source} if the text is not one strict JSON value, repeats
     *     a key within an object, or nests deeper than {@value #MAX_DEPTH}
     */
    public static JsonElement parse(String json, String source) {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement value = read(reader, 0);
            boolean more;
            try {
                more = reader.peek() != JsonToken.END_DOCUMENT;
            } catch (IOException e) {
                more = true; // a strict reader refuses a second value outright
            }
            if (more) {
                throw new AtelierException(source + " is not valid JSON: more follows the value that ends at "
                        + location(reader));
            }
            return value;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // JsonReader reports syntax errors as MalformedJsonException (an IOException) or, for a token
            // of the wrong kind, IllegalStateException; its message already names the line and column.
            throw new AtelierException(source + " is not valid JSON: " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * @param json the text
     * @param source what the text is, for the error message
     * @return the JSON object it holds
     * @throws AtelierException as {@link #parse}, or if the value is not an object
     */
    public static JsonObject parseObject(String json, String source) {
        JsonElement e = parse(json, source);
        if (!e.isJsonObject()) {
            throw new AtelierException(source + " is not a JSON object but " + describe(e));
        }
        return e.getAsJsonObject();
    }

    private static JsonElement read(JsonReader r, int depth) throws IOException {
        JsonToken token = r.peek();
        switch (token) {
            case BEGIN_OBJECT -> {
                checkDepth(depth, r);
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String key = r.nextName();
                    if (o.has(key)) {
                        throw new IOException("the key \"" + key + "\" appears twice in one object, at "
                                + r.getPath());
                    }
                    o.add(key, read(r, depth + 1));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                checkDepth(depth, r);
                JsonArray a = new JsonArray();
                r.beginArray();
                while (r.hasNext()) {
                    a.add(read(r, depth + 1));
                }
                r.endArray();
                return a;
            }
            case STRING -> {
                return new JsonPrimitive(r.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new LazilyParsedNumber(r.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(r.nextBoolean());
            }
            case NULL -> {
                r.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new IOException("unexpected " + token + " at " + r.getPath());
        }
    }

    private static void checkDepth(int depth, JsonReader r) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new IOException("nested deeper than " + MAX_DEPTH + " levels at " + r.getPath());
        }
    }

    private static void write(JsonElement e, StringBuilder out, int depth) {
        if (e == null || e.isJsonNull()) {
            out.append("null");
        } else if (e.isJsonObject()) {
            checkDepth(depth);
            List<Map.Entry<String, JsonElement>> members = new ArrayList<>();
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                if (m.getValue() != null && !m.getValue().isJsonNull()) {
                    members.add(m);
                }
            }
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(members.get(i).getKey(), out);
                out.append(':');
                write(members.get(i).getValue(), out, depth + 1);
            }
            out.append('}');
        } else if (e.isJsonArray()) {
            checkDepth(depth);
            JsonArray a = e.getAsJsonArray();
            out.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(a.get(i), out, depth + 1);
            }
            out.append(']');
        } else {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                out.append(p.getAsBoolean());
            } else if (p.isNumber()) {
                String text = p.getAsNumber().toString();
                if (!NUMBER.matcher(text).matches()) {
                    throw new AtelierException("the number " + text + " cannot be written as JSON");
                }
                out.append(text);
            } else {
                string(p.getAsString(), out);
            }
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new AtelierException("the JSON document nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean unpaired = Character.isHighSurrogate(c)
                            ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || unpaired) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                                .append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** @return "an array", "the string \"x\"", … for an error message */
    static String describe(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isString()) {
            String s = p.getAsString();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        return (p.isNumber() ? "the number " : "") + p;
    }

    /** @return "line L column C" of where a reader stands, from its own description */
    private static String location(JsonReader r) {
        String s = r.toString(); // "JsonReader at line 1 column 8 path $"
        int at = s.indexOf("line ");
        int path = s.indexOf(" path ");
        return at >= 0 && path > at ? s.substring(at, path) : r.getPath();
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        // Gson appends a pointer to its troubleshooting guide and advice to its programmer (be lenient),
        // neither of which says anything to the artist about this file.
        int see = message.indexOf("\nSee https://");
        String m = see >= 0 ? message.substring(0, see) : message;
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
        return m.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
