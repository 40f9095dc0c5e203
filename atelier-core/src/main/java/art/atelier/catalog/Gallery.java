package art.atelier.catalog;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code atelier export --html DIR}: the catalog as one static page that a browser shows offline, with
 * no script and nothing fetched: pictures and animations shown (GIF and APNG play in every current
 * browser), music playable where its audio was rendered (and its MIDI file linked), texts readable,
 * and for every work its title, the artist's decision, its novelty scores and its signed provenance.
 *
 * <p>The folder is written whole and then swapped in ({@link AtomicFiles#replaceDirectory}), so a
 * crash leaves the previous export or the new one. A folder that is not an earlier export and is not
 * empty is refused rather than replaced.
 */
public final class Gallery {

    /** The file that marks a folder as an Atelier export, which a later export may replace. */
    public static final String MARKER = ".atelier-gallery";

    /**
     * One work on the page.
     *
     * @param id the work's id
     * @param medium text, image or music
     * @param kind picture, grid, animation, text, piece…
     * @param title the artist's title, or null
     * @param status new, kept or rejected
     * @param created when it was made
     * @param model the model that made it
     * @param novelty the headline novelty score, NaN if not measured
     * @param scores every novelty score, as the manifest records them (may be empty)
     * @param file the work's file
     * @param audio its rendered audio, or null
     * @param text the text of a text work, or null
     * @param manifestJson its signed manifest, pretty
     * @param verification what {@code atelier verify} says of the file
     * @param actions what the artist did, one line each
     */
    public record Entry(String id, String medium, String kind, String title, String status, String created,
            String model, double novelty, Map<String, Object> scores, Path file, Path audio, String text,
            String manifestJson, String verification, List<String> actions) {}

    private Gallery() {}

    /**
     * @param dir the folder to write (created, or replaced if it is an earlier export)
     * @param catalogName what the page is titled
     * @param entries the works, in page order
     * @return the page
     * @throws UsageException if {@code dir} holds something else
     */
    public static Path export(Path dir, String catalogName, List<Entry> entries) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isRegularFile(target)) {
            throw new UsageException(target + " is a file; --html takes a folder");
        }
        if (Files.isDirectory(target) && !Files.exists(target.resolve(MARKER)) && !isEmpty(target)) {
            throw new UsageException(target + " is not empty and is not an earlier Atelier export: give a new"
                    + " or empty folder (nothing in it is replaced)");
        }
        try {
            AtomicFiles.replaceDirectory(target, out -> {
                Path files = Files.createDirectories(out.resolve("files"));
                StringBuilder html = new StringBuilder(1 << 16);
                head(html, catalogName, entries.size());
                for (Entry e : entries) {
                    card(html, e, files);
                }
                html.append("</main>\n</body>\n</html>\n");
                Files.writeString(out.resolve("index.html"), html, StandardCharsets.UTF_8);
                Files.writeString(out.resolve(MARKER), "written by atelier export --html\n", StandardCharsets.UTF_8);
            });
        } catch (IOException e) {
            throw new AtelierException("could not write the gallery " + target + ": " + e.getMessage(), e);
        }
        return target.resolve("index.html");
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        } catch (IOException e) {
            throw new AtelierException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void head(StringBuilder h, String name, int count) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(name)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:0;background:#f4f2ee;color:#222}\n")
                .append("header{padding:1.2em 2em;background:#222;color:#f4f2ee}\n")
                .append("main{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:1.2em;")
                .append("padding:1.5em 2em}\n")
                .append("article{background:#fff;border-radius:6px;padding:1em;box-shadow:0 1px 3px #0002}\n")
                .append("article.rejected{opacity:.55}\n")
                .append("img{max-width:100%;image-rendering:pixelated;min-width:192px;background:")
                .append("repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}\n")
                .append("pre{white-space:pre-wrap;font-size:.85em;max-height:22em;overflow:auto;background:#faf8f4;")
                .append("padding:.6em}\n")
                .append("table{font-size:.85em;border-collapse:collapse}td{padding:.1em .6em .1em 0}\n")
                .append(".tag{display:inline-block;font-size:.75em;padding:.1em .5em;border-radius:3px;")
                .append("background:#eee;margin-right:.3em}.kept{background:#cfe8cf}.rejectedtag{background:#f0cccc}\n")
                .append("</style>\n</head>\n<body>\n<header><h1>").append(esc(name)).append("</h1><p>")
                .append(count).append(count == 1 ? " work" : " works")
                .append(", each with its signed provenance and its novelty against what its model learned from.")
                .append("</p></header>\n<main>\n");
    }

    private static void card(StringBuilder h, Entry e, Path files) throws IOException {
        h.append("<article id=\"").append(esc(e.id())).append("\" class=\"").append(esc(e.medium()))
                .append("rejected".equals(e.status()) ? " rejected" : "").append("\">\n");
        h.append("<h2>").append(esc(e.title() != null ? e.title() : e.id())).append("</h2>\n<p>");
        h.append("<span class=\"tag\">").append(esc(e.medium())).append("</span>");
        h.append("<span class=\"tag\">").append(esc(e.kind())).append("</span>");
        if ("kept".equals(e.status())) {
            h.append("<span class=\"tag kept\">kept</span>");
        } else if ("rejected".equals(e.status())) {
            h.append("<span class=\"tag rejectedtag\">rejected</span>");
        }
        h.append("</p>\n");
        String name = copy(e.file(), files);
        switch (e.medium()) {
            case "image" -> h.append("<a href=\"files/").append(name).append("\"><img src=\"files/").append(name)
                    .append("\" alt=\"").append(esc(e.id())).append("\"></a>\n");
            case "music" -> {
                if (e.audio() != null) {
                    String audio = copy(e.audio(), files);
                    h.append("<audio controls preload=\"none\" src=\"files/").append(audio).append("\"></audio>\n");
                } else {
                    h.append("<p>No audio was rendered for this piece.</p>\n");
                }
                h.append("<p><a href=\"files/").append(name).append("\" download>MIDI file</a></p>\n");
            }
            case "text" -> h.append("<pre class=\"work\">").append(esc(e.text() == null ? "" : e.text()))
                    .append("</pre>\n");
            default -> h.append("<p><a href=\"files/").append(name).append("\">").append(esc(name)).append("</a></p>\n");
        }
        h.append("<table>\n");
        row(h, "id", e.id());
        row(h, "model", e.model());
        row(h, "made", e.created());
        row(h, "novelty", Double.isNaN(e.novelty()) ? "not measured"
                : String.format(Locale.ROOT, "%.3f (0 = a copy of the corpus, 1 = nothing shared)", e.novelty()));
        for (Map.Entry<String, Object> s : e.scores().entrySet()) {
            if (!"novelty".equals(s.getKey())) {
                row(h, s.getKey().replace('_', ' '), String.valueOf(s.getValue()));
            }
        }
        row(h, "signature", e.verification());
        h.append("</table>\n");
        if (!e.actions().isEmpty()) {
            h.append("<p>History:</p><ul>\n");
            for (String a : e.actions()) {
                h.append("<li>").append(esc(a)).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<details><summary>Provenance (signed manifest)</summary><pre>").append(esc(e.manifestJson()))
                .append("</pre></details>\n</article>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><td>").append(esc(key)).append("</td><td>").append(esc(value == null ? "" : value))
                .append("</td></tr>\n");
    }

    /** Copies a work's file into the page's folder under its own name; returns that name, URL-safe. */
    private static String copy(Path file, Path files) throws IOException {
        String name = file.getFileName().toString();
        Path to = files.resolve(name);
        if (!Files.exists(to)) {
            Files.copy(file, to);
        }
        return name.replace("%", "%25").replace(" ", "%20").replace("#", "%23").replace("?", "%3F");
    }

    /** @return text safe inside HTML elements and double-quoted attributes */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
