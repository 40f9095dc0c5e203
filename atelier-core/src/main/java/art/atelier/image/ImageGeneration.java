package art.atelier.image;

import ai.djl.ndarray.NDManager;

import art.atelier.Atelier;
import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.image.gan.GanConfig;
import art.atelier.image.gan.GanSampler;
import art.atelier.nn.Compute;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.util.Rng;
import art.atelier.work.Manifest;
import art.atelier.novelty.Gate;
import art.atelier.work.Studio;
import art.atelier.work.Works;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pictures from a trained picture model, each saved as a work: a PNG with its manifest embedded (an
 * iTXt chunk) and beside it, recording the latent vector, the style and every setting, so that the
 * picture can be made again, varied or crossed.
 *
 * <ul>
 *   <li>generate: latents drawn from the seed (picture i from seed S+i);
 *   <li>vary: a work's latent z mixed with fresh noise ε as √(1−s²)·z + s·ε, which stays a draw
 *       from the same normal distribution; s = 0 is the parent, s = 1 an unrelated picture;
 *   <li>cross: points on the great circle between two works' latents (spherical interpolation,
 *       which keeps the latent's norm typical where a straight line would pass through
 *       improbable short vectors), with the styles blended in the same proportion;
 *   <li>animate: a closed walk through K keyframe latents, spherically interpolated, as a looping
 *       GIF or APNG.
 * </ul>
 */
public final class ImageGeneration {

    /**
     * What to draw.
     *
     * @param model the model's name
     * @param count how many pictures
     * @param seed the first picture's seed
     * @param style the style, or null (a styled model then picks one per picture by its seed)
     * @param truncation ψ in (0, 1]
     * @param grid also save the pictures laid out in one grid
     */
    public record Request(String model, int count, long seed, String style, float truncation, boolean grid) {}

    /**
     * An animation to make.
     *
     * @param model the model's name
     * @param keyframes latents the walk passes through, at least 2
     * @param frames frames in one loop
     * @param fps frames per second
     * @param seed draws the keyframes (and the style, if not given)
     * @param style the style, or null
     * @param truncation ψ in (0, 1]
     * @param format "gif" or "apng"
     */
    public record AnimationRequest(String model, int keyframes, int frames, int fps, long seed, String style,
            float truncation, String format) {}

    /**
     * A work made.
     *
     * @param saved where it went
     * @param seed its seed
     * @param style its style, or null
     * @param picture the picture (the first frame of an animation)
     */
    public record Made(Works.Saved saved, long seed, String style, Picture picture) {}

    private ImageGeneration() {}

    /**
     * @param ws where the model is and the works go
     * @param r what to draw
     * @return the pictures, then the grid if asked for
     */
    public static List<Made> generate(Workspace ws, Request r) {
        try (Studio studio = Studio.open(ws)) {
            return generate(studio, r);
        }
    }

    /**
     * Draws pictures, each checked by the studio's novelty gate: a near-copy of a training picture or
     * of a catalogued work is refused and the next seed tried.
     *
     * @param studio the open workspace, with its novelty threshold
     * @param r what to draw
     * @return the pictures kept, then the grid if asked for
     */
    public static List<Made> generate(Studio studio, Request r) {
        Workspace ws = studio.workspace();
        if (r.count() < 1) {
            throw new UsageException("--count must be at least 1, was " + r.count());
        }
        checkTruncation(r.truncation());
        ModelCard card = card(ws, r.model());
        card.requireStyle(r.style());
        List<Made> made = new ArrayList<>();
        try (ImageModel model = ImageModel.load(ws.model(r.model()), card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            Compute.prepareThisThread();
            GanSampler sampler = model.sampler();
            GanConfig c = model.config();
            Gate gate = studio.gate(card);
            long seed = r.seed();
            for (int tries = 0; made.size() < r.count(); tries++, seed++) {
                gate.budget(tries, r.count(), made.size());
                Rng rng = new Rng(seed);
                float[] z = GanSampler.gaussian(rng, c.latent());
                String style = pickStyle(card, r.style(), rng);
                float[] weights = weights(card, c, style);
                Picture p = sampler.draw(manager, z, weights, r.truncation());
                Gate.Verdict verdict = gate.picture(Works.id(card.name(), seed, p.pixels()), p, List.of());
                if (!verdict.accepted()) {
                    continue;
                }
                Map<String, Object> settings = settings(c, z, style, weights, r.truncation());
                List<Manifest.HumanAction> actions = new ArrayList<>();
                if (r.style() != null) {
                    actions.add(new Manifest.HumanAction("style", r.style()));
                }
                made.add(save(studio, model, seed, style, p, settings, List.of(), actions, verdict));
            }
            if (r.grid() && made.size() > 1) {
                made.add(grid(studio, model, r, made));
            }
        }
        return made;
    }

    /**
     * @param ws the workspace
     * @param work the parent work's id or path
     * @param count how many children
     * @param seed the first child's noise seed
     * @param strength s in [0, 1]: how far a child strays
     * @return the children
     */
    public static List<Made> vary(Workspace ws, String work, int count, long seed, float strength) {
        try (Studio studio = Studio.open(ws)) {
            return vary(studio, work, count, seed, strength);
        }
    }

    /**
     * @param studio the open workspace, with its novelty threshold
     * @param work the parent work's id or path
     * @param count how many children
     * @param seed the first candidate's noise seed; a child that is a near-copy of the corpus (or of
     *     another catalogued work than its parent) is refused and the next seed tried
     * @param strength s in [0, 1]: how far a child strays
     * @return the children
     */
    public static List<Made> vary(Studio studio, String work, int count, long seed, float strength) {
        Workspace ws = studio.workspace();
        if (count < 1) {
            throw new UsageException("--count must be at least 1, was " + count);
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new UsageException("--strength must be in [0, 1], was " + strength);
        }
        Works.Saved parent = Works.find(studio, work);
        Latent base = latent(parent);
        ModelCard card = card(ws, parent.manifest().model().name());
        List<Made> made = new ArrayList<>();
        try (ImageModel model = ImageModel.load(ws.model(card.name()), card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            Compute.prepareThisThread();
            GanConfig c = model.config();
            checkLatent(base, c, parent);
            GanSampler sampler = model.sampler();
            double keep = Math.sqrt(1.0 - (double) strength * strength);
            Gate gate = studio.gate(card);
            long s = seed;
            for (int tries = 0; made.size() < count; tries++, s++) {
                gate.budget(tries, count, made.size());
                float[] noise = GanSampler.gaussian(new Rng(s), c.latent());
                float[] z = new float[c.latent()];
                for (int k = 0; k < z.length; k++) {
                    z[k] = (float) (keep * base.z()[k] + strength * noise[k]);
                }
                Picture p = sampler.draw(manager, z, base.weights(), base.truncation());
                Gate.Verdict verdict = gate.picture(Works.id(card.name(), s, p.pixels()), p, List.of(parent.id()));
                if (!verdict.accepted()) {
                    continue;
                }
                Map<String, Object> settings = settings(c, z, base.style(), base.weights(), base.truncation());
                settings.put("strength", strength);
                noteRetrained(settings, model, parent);
                made.add(save(studio, model, s, base.style(), p, settings, List.of(parent.id()),
                        List.of(new Manifest.HumanAction("vary", "chose " + parent.id() + " to vary, strength "
                                + strength)), verdict));
            }
        }
        return made;
    }

    /**
     * @param ws the workspace
     * @param workA one parent's id or path
     * @param workB the other's
     * @param count how many crossings, evenly spaced between the parents
     * @return the crossings, from nearest A to nearest B
     */
    public static List<Made> cross(Workspace ws, String workA, String workB, int count) {
        try (Studio studio = Studio.open(ws)) {
            return cross(studio, workA, workB, count);
        }
    }

    /**
     * @param studio the open workspace, with its novelty threshold
     * @param workA one parent's id or path
     * @param workB the other's
     * @param count how many crossings, evenly spaced between the parents; a crossing that is a near-copy
     *     of the corpus is dropped (a crossing has no seed to draw again)
     * @return the crossings kept, from nearest A to nearest B
     * @throws AtelierException if every crossing was a near-copy
     */
    public static List<Made> cross(Studio studio, String workA, String workB, int count) {
        Workspace ws = studio.workspace();
        if (count < 1) {
            throw new UsageException("--count must be at least 1, was " + count);
        }
        Works.Saved a = Works.find(studio, workA);
        Works.Saved b = Works.find(studio, workB);
        if (!a.manifest().model().name().equals(b.manifest().model().name())) {
            throw new UsageException("works from different models cannot be crossed: " + a.id() + " is by '"
                    + a.manifest().model().name() + "', " + b.id() + " by '" + b.manifest().model().name() + "'");
        }
        Latent la = latent(a);
        Latent lb = latent(b);
        ModelCard card = card(ws, a.manifest().model().name());
        List<Made> made = new ArrayList<>();
        try (ImageModel model = ImageModel.load(ws.model(card.name()), card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            Compute.prepareThisThread();
            GanConfig c = model.config();
            checkLatent(la, c, a);
            checkLatent(lb, c, b);
            GanSampler sampler = model.sampler();
            Gate gate = studio.gate(card);
            for (int i = 0; i < count; i++) {
                double t = (i + 1.0) / (count + 1.0);
                float[] z = slerp(la.z(), lb.z(), t);
                float[] w = null;
                if (la.weights() != null && lb.weights() != null) {
                    w = new float[la.weights().length];
                    for (int k = 0; k < w.length; k++) {
                        w[k] = (float) ((1 - t) * la.weights()[k] + t * lb.weights()[k]);
                    }
                }
                float psi = (float) ((1 - t) * la.truncation() + t * lb.truncation());
                String style = t < 0.5 ? la.style() : lb.style();
                Picture p = sampler.draw(manager, z, w, psi);
                Gate.Verdict verdict = gate.picture(Works.id(card.name(), 0, p.pixels()), p, List.of(a.id(), b.id()));
                if (!verdict.accepted()) {
                    continue;
                }
                Map<String, Object> settings = settings(c, z, style, w, psi);
                settings.put("t", t);
                noteRetrained(settings, model, a);
                noteRetrained(settings, model, b);
                made.add(save(studio, model, 0, style, p, settings, List.of(a.id(), b.id()),
                        List.of(new Manifest.HumanAction("cross", "chose " + a.id() + " and " + b.id()
                                + " to cross")), verdict));
            }
            if (made.isEmpty()) {
                throw new AtelierException("every crossing of " + a.id() + " and " + b.id() + " was a near-copy: "
                        + String.join("; ", studio.refusals()) + " (lower --min-novelty to keep them)");
            }
        }
        return made;
    }

    /**
     * @param ws the workspace
     * @param r the animation
     * @return the animation work (its picture is the first frame)
     */
    public static Made animate(Workspace ws, AnimationRequest r) {
        try (Studio studio = Studio.open(ws)) {
            return animate(studio, r);
        }
    }

    /**
     * @param studio the open workspace, with its novelty threshold
     * @param r the animation; if its least novel frame is a near-copy, the keyframes are drawn again
     *     with the next seed
     * @return the animation work (its picture is the first frame)
     */
    public static Made animate(Studio studio, AnimationRequest r) {
        Workspace ws = studio.workspace();
        if (r.keyframes() < 2) {
            throw new UsageException("--keyframes must be at least 2, was " + r.keyframes());
        }
        if (r.frames() < r.keyframes()) {
            throw new UsageException("--frames must be at least the keyframes (" + r.keyframes() + "), was " + r.frames());
        }
        if (r.fps() < 1 || r.fps() > 100) {
            throw new UsageException("--fps must be from 1 to 100, was " + r.fps());
        }
        String format = r.format().toLowerCase(Locale.ROOT);
        if (!format.equals("gif") && !format.equals("apng")) {
            throw new UsageException("--format must be gif or apng, was " + r.format());
        }
        checkTruncation(r.truncation());
        ModelCard card = card(ws, r.model());
        card.requireStyle(r.style());
        try (ImageModel model = ImageModel.load(ws.model(r.model()), card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            Compute.prepareThisThread();
            GanConfig c = model.config();
            GanSampler sampler = model.sampler();
            Gate gate = studio.gate(card);
            long seed = r.seed();
            for (int tries = 0;; tries++, seed++) {
                gate.budget(tries, 1, 0);
                Rng rng = new Rng(seed);
                String style = pickStyle(card, r.style(), rng);
                float[] weights = weights(card, c, style);
                List<float[]> keys = new ArrayList<>();
                for (int k = 0; k < r.keyframes(); k++) {
                    keys.add(GanSampler.gaussian(rng, c.latent()));
                }
                List<Picture> frames = new ArrayList<>();
                for (int f = 0; f < r.frames(); f++) {
                    double position = (double) f * r.keyframes() / r.frames();
                    int k = (int) position;
                    float[] z = slerp(keys.get(k), keys.get((k + 1) % keys.size()), position - k);
                    frames.add(sampler.draw(manager, z, weights, r.truncation()));
                }
                byte[] bytes = AnimationCodec.encode(frames, format, r.fps());
                String id = Works.id(card.name(), seed, bytes);
                Gate.Verdict verdict = gate.animation(id, frames, List.of());
                if (!verdict.accepted()) {
                    continue;
                }
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("kind", "animation");
                settings.put("format", format);
                settings.put("keyframes", keys);
                settings.put("frames", r.frames());
                settings.put("fps", r.fps());
                settings.put("style", style);
                settings.put("style_weights", weights);
                settings.put("truncation", r.truncation());
                settings.put("interpolation", "slerp, closed loop");
                settings.put("min_novelty", gate.minNovelty());
                List<Manifest.HumanAction> actions = new ArrayList<>();
                if (r.style() != null) {
                    actions.add(new Manifest.HumanAction("style", r.style()));
                }
                Manifest m = Manifest.draft(id, ImageModel.MEDIUM, modelRef(card, model.weightsHash()), seed, settings,
                        List.of(), actions);
                Works.Saved saved = studio.publish(new Studio.Draft("animation", format.equals("gif") ? "gif" : "png",
                        bytes, m, style, verdict, null));
                return new Made(saved, seed, style, frames.get(0));
            }
        }
    }

    /**
     * Spherical interpolation (Shoemake 1985; White 2016 for latent spaces).
     *
     * @param a a vector
     * @param b another of the same length
     * @param t 0 gives a, 1 gives b
     * @return the point at t on the great circle from a to b (a straight line if they are parallel)
     */
    public static float[] slerp(float[] a, float[] b, double t) {
        double na = 0;
        double nb = 0;
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            dot += (double) a[i] * b[i];
        }
        double cos = dot / Math.max(1e-12, Math.sqrt(na * nb));
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        double wa;
        double wb;
        if (Math.sin(omega) < 1e-6) {
            wa = 1 - t;
            wb = t;
        } else {
            wa = Math.sin((1 - t) * omega) / Math.sin(omega);
            wb = Math.sin(t * omega) / Math.sin(omega);
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    private static ModelCard card(Workspace ws, String name) {
        return Checkpoint.expect(pictureCard(ws, name), ImageModel.MEDIUM, ImageModel.FAMILY);
    }

    /**
     * @param ws the workspace
     * @param name a model's name
     * @return its card
     * @throws UsageException if it is not a picture model
     */
    public static ModelCard pictureCard(Workspace ws, String name) {
        ModelCard card = ws.card(name);
        if (!ImageModel.MEDIUM.equals(card.medium())) {
            throw new UsageException("model '" + name + "' is " + ModelCard.article(card.medium()) + " model; this makes pictures");
        }
        return card;
    }

    static void checkTruncation(float psi) {
        if (!(psi > 0 && psi <= 1)) {
            throw new UsageException("--truncation must be in (0, 1], was " + psi);
        }
    }

    static String pickStyle(ModelCard card, String style, Rng rng) {
        if (style != null || card.styles().isEmpty()) {
            return style;
        }
        return card.styles().get(rng.nextInt(card.styles().size()));
    }

    private static float[] weights(ModelCard card, GanConfig c, String style) {
        return c.styles() == 0 || style == null ? null : GanSampler.oneHot(c.styles(), card.styles().indexOf(style));
    }

    private static Map<String, Object> settings(GanConfig c, float[] z, String style, float[] weights, float psi) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("latent", z);
        s.put("style", style);
        s.put("style_weights", weights);
        s.put("truncation", psi);
        s.put("size", c.size());
        s.put("channels", c.channels());
        return s;
    }

    /** A work's latent, style blend and truncation, read back from its manifest. */
    private record Latent(float[] z, float[] weights, String style, float truncation) {}

    private static Latent latent(Works.Saved work) {
        Map<String, Object> s = work.manifest().settings();
        if (!ImageModel.MEDIUM.equals(work.manifest().medium()) || !(s.get("latent") instanceof List<?>)) {
            throw new UsageException("work " + work.id() + " is not a single picture drawn from a latent (an"
                    + " animation, a grid or another medium cannot be varied or crossed)");
        }
        float[] z = floats((List<?>) s.get("latent"));
        float[] w = s.get("style_weights") instanceof List<?> l ? floats(l) : null;
        String style = s.get("style") instanceof String st ? st : null;
        float psi = s.get("truncation") instanceof Number n ? n.floatValue() : 1f;
        return new Latent(z, w, style, psi);
    }

    private static void checkLatent(Latent l, GanConfig c, Works.Saved work) {
        if (l.z().length != c.latent()) {
            throw new AtelierException("work " + work.id() + " has a latent of " + l.z().length + " values; model '"
                    + work.manifest().model().name() + "' now takes " + c.latent() + " (was it replaced?)");
        }
        if ((c.styles() > 0) != (l.weights() != null) || (l.weights() != null && l.weights().length != c.styles())) {
            throw new AtelierException("work " + work.id() + " does not match the styles of model '"
                    + work.manifest().model().name() + "' (was it replaced?)");
        }
    }

    /**
     * A parent drawn by other weights of the model (trained further since) looks different now; the
     * child's manifest says so, so that its lineage is not misread.
     */
    private static void noteRetrained(Map<String, Object> settings, ImageModel model, Works.Saved parent) {
        if (!model.weightsHash().equals(parent.manifest().model().checkpoint())) {
            settings.put("parent_made_by_other_weights", parent.id() + " was drawn by checkpoint "
                    + parent.manifest().model().checkpoint() + " (step " + parent.manifest().model().step() + ")");
        }
    }

    static float[] floats(List<?> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    /** @return the family a manifest names: the GAN's recipe (atelier, dcgan), or vqvae */
    private static String family(ModelCard card) {
        return ImageModel.FAMILY.equals(card.family()) ? card.preset() : card.family();
    }

    static Manifest.ModelRef modelRef(ModelCard card, String weightsHash) {
        return new Manifest.ModelRef(card.name(), card.medium(), family(card), weightsHash, card.step(),
                card.corpus().fingerprint());
    }

    private static Made save(Studio studio, ImageModel model, long seed, String style, Picture p,
            Map<String, Object> settings, List<String> parents, List<Manifest.HumanAction> actions,
            Gate.Verdict verdict) {
        settings.put("min_novelty", studio.minNovelty(ImageModel.MEDIUM));
        return save(studio, model.card(), model.weightsHash(), seed, style, p, "picture", settings, parents, actions,
                verdict);
    }

    /**
     * Keeps a picture as a work: a PNG whose signed manifest the studio embeds.
     *
     * @return the work
     */
    static Made save(Studio studio, ModelCard card, String weightsHash, long seed, String style, Picture p,
            String kind, Map<String, Object> settings, List<String> parents, List<Manifest.HumanAction> actions,
            Gate.Verdict verdict) {
        Manifest m = Manifest.draft(Works.id(card.name(), seed, p.pixels()), ImageModel.MEDIUM,
                modelRef(card, weightsHash), seed, settings, parents, actions);
        byte[] png = PngCodec.encode(p, Map.of("Software", "Atelier " + Atelier.VERSION));
        return new Made(studio.publish(new Studio.Draft(kind, "png", png, m, style, verdict, null)), seed, style, p);
    }

    private static Made grid(Studio studio, ImageModel model, Request r, List<Made> pictures) {
        return grid(studio, model.card(), model.weightsHash(), r.seed(), r.style(), pictures,
                Map.of("truncation", r.truncation()));
    }

    /**
     * Keeps the pictures of one request laid out in a grid, as a work whose parents are the pictures
     * (each already checked for novelty on its own), for both picture families.
     *
     * @param studio the open workspace
     * @param card the model
     * @param weightsHash its checkpoint's hash
     * @param seed the request's first seed
     * @param style the style asked for, or null
     * @param pictures the pictures, in order
     * @param extra the family's own settings of the request
     * @return the grid
     */
    static Made grid(Studio studio, ModelCard card, String weightsHash, long seed, String style, List<Made> pictures,
            Map<String, Object> extra) {
        int columns = (int) Math.ceil(Math.sqrt(pictures.size()));
        Picture g = Picture.grid(pictures.stream().map(Made::picture).toList(), columns, 2);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("kind", "grid");
        settings.put("count", pictures.size());
        settings.put("style", style);
        settings.putAll(extra);
        List<String> ids = pictures.stream().map(x -> x.saved().id()).toList();
        return save(studio, card, weightsHash, seed, style, g, "grid", settings, ids, List.of(),
                Gate.unchecked("a grid of works each checked on its own", Map.of()));
    }
}
