package art.atelier.util;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON for manifests, model cards and machine-readable output: one configuration everywhere. */
public final class Json {

    private static final Gson GSON =
            new GsonBuilder()
                    .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                    .setPrettyPrinting()
                    .disableHtmlEscaping()
                    .serializeSpecialFloatingPointValues()
                    .create();

    private static final Gson COMPACT =
            new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private Json() {}

    /** @return the shared, pretty-printing Gson */
    public static Gson gson() {
        return GSON;
    }

    /**
     * @param value any object
     * @return its pretty JSON
     */
    public static String write(Object value) {
        return GSON.toJson(value);
    }

    /**
     * @param value any object
     * @return its JSON on one line
     */
    public static String compact(Object value) {
        return COMPACT.toJson(value);
    }

    /**
     * @param value any object
     * @return its JSON tree
     */
    public static JsonElement tree(Object value) {
        return GSON.toJsonTree(value);
    }

    /**
     * @param json a JSON tree
     * @param type the type to read it as
     * @param <T> the type
     * @return the value
     */
    public static <T> T from(JsonElement json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /**
     * Reads a JSON file into a type, naming the file in any error.
     *
     * @param file the file
     * @param type what it holds
     * @param <T> the type
     * @return the value
     * @throws IOException if it cannot be read or is not that JSON
     */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            T value = GSON.fromJson(text, type);
            if (value == null) {
                throw new IOException(file + " is empty");
            }
            return value;
        } catch (JsonParseException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
