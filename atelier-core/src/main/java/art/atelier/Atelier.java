package art.atelier;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What this build of Atelier is: its version and the software it runs on, for provenance. */
public final class Atelier {

    /** The version of this build, from the Maven project. */
    public static final String VERSION = readVersion();

    private Atelier() {}

    private static String readVersion() {
        try (InputStream in = Atelier.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The software a model or a work was made with, recorded in every checkpoint and manifest.
     *
     * @return name to version, in a fixed order
     */
    public static Map<String, String> software() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("atelier", VERSION);
        s.put("djl", ai.djl.engine.Engine.getDjlVersion());
        s.put("engine", art.atelier.nn.Compute.engineDescription());
        s.put("java", System.getProperty("java.version"));
        s.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return s;
    }
}
