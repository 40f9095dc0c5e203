package art.atelier.cli;

import art.atelier.image.ImageGeneration;
import art.atelier.util.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints picture works, one line each or as JSON. */
final class Works {

    private Works() {}

    static void print(PrintWriter out, List<ImageGeneration.Made> made, boolean json) {
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (ImageGeneration.Made m : made) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("id", m.saved().id());
                e.put("path", m.saved().file().toString());
                e.put("seed", m.seed());
                e.put("style", m.style());
                e.put("parents", m.saved().manifest().parents());
                e.put("novelty", m.saved().manifest().novelty());
                list.add(e);
            }
            out.println(Json.write(list));
        } else {
            for (ImageGeneration.Made m : made) {
                out.println(m.saved().id() + (m.style() == null ? "" : " (" + m.style() + ")") + novelty(m) + " -> "
                        + m.saved().file());
            }
        }
        out.flush();
    }

    /** @return ", novelty 0.83" or "" when it was not measured */
    static String novelty(ImageGeneration.Made m) {
        java.util.Map<String, Object> n = m.saved().manifest().novelty();
        return n != null && n.get("novelty") instanceof Number x
                ? String.format(java.util.Locale.ROOT, " novelty %.2f", x.doubleValue()) : "";
    }
}
