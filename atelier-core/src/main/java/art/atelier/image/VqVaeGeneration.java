package art.atelier.image;

import ai.djl.ndarray.NDManager;

import art.atelier.AtelierException;
import art.atelier.UsageException;
import art.atelier.Workspace;
import art.atelier.corpus.ImageCorpus;
import art.atelier.image.vqvae.VqVaeConfig;
import art.atelier.image.vqvae.VqVaeModel;
import art.atelier.image.vqvae.VqVaeSampler;
import art.atelier.nn.Compute;
import art.atelier.nn.SamplingSettings;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;
import art.atelier.util.Hashing;
import art.atelier.util.Rng;
import art.atelier.work.Manifest;
import art.atelier.novelty.Gate;
import art.atelier.work.Studio;
import art.atelier.work.Works;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pictures from a VQ-VAE, each saved as a work whose manifest records its code grid (g·g codes in
 * raster order), its style and every setting, so that it can be made again or varied.
 *
 * <ul>
 *   <li>generate: a code grid drawn from the prior (picture i from seed S+i), decoded;
 *   <li>reconstruct: a picture encoded to its codes and decoded: what the codebook can say of it;
 *   <li>vary: a region of a work's code grid drawn again by the prior, every other code kept;
 *   <li>animate: a closed loop through keyframe grids (works, or drawn from the prior), the
 *       decoder reading the straight line between their code vectors at every frame.
 * </ul>
 */
public final class VqVaeGeneration {

    /**
     * What to draw.
     *
     * @param model the model's name
     * @param count how many pictures
     * @param seed the first picture's seed
     * @param style the style, or null (a styled model then picks one per picture by its seed)
     * @param sampling temperature, top-k, top-p
     * @param grid also save the pictures laid out in one grid
     */
    public record Request(String model, int count, long seed, String style, SamplingSettings sampling, boolean grid) {}

    /**
     * A region of a picture, in its pixels.
     *
     * @param x left edge
     * @param y top edge
     * @param width width
     * @param height height
     */
    public record Region(int x, int y, int width, int height) {

        /**
         * @param text "x,y,w,h" in pixels
         * @return the region
         * @throws UsageException if it is not four non-negative integers with a positive size
         */
        public static Region parse(String text) {
            String[] parts = text.split(",");
            try {
                if (parts.length == 4) {
                    Region r = new Region(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                            Integer.parseInt(parts[2].trim()), Integer.parseInt(parts[3].trim()));
                    if (r.x() >= 0 && r.y() >= 0 && r.width() > 0 && r.height() > 0) {
                        return r;
                    }
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new UsageException("--region is x,y,width,height in pixels (e.g. 16,16,32,32), was '" + text + "'");
        }

        /**
         * @param size the picture's side, in pixels
         * @param downsample pixels per code cell
         * @return per code cell in raster order, whether the region touches it
         * @throws UsageException if the region lies outside the picture
         */
        boolean[] cells(int size, int downsample) {
            if (x >= size || y >= size) {
                throw new UsageException("--region " + this + " starts outside the " + size + "×" + size + " picture");
            }
            int g = size / downsample;
            boolean[] mask = new boolean[g * g];
            int x1 = Math.min(size, x + width);
            int y1 = Math.min(size, y + height);
            for (int row = y / downsample; row <= (y1 - 1) / downsample; row++) {
                for (int col = x / downsample; col <= (x1 - 1) / downsample; col++) {
                    mask[row * g + col] = true;
                }
            }
            return mask;
        }

        @Override
        public String toString() {
            return x + "," + y + "," + width + "," + height;
        }
    }

    private VqVaeGeneration() {}

    /**
     * @param ws where the model is and the works go
     * @param r what to draw
     * @return the pictures, then the grid if asked for
     */
    public static List<ImageGeneration.Made> generate(Workspace ws, Request r) {
        try (Studio studio = Studio.open(ws)) {
            return generate(studio, r);
        }
    }

    /**
     * @param studio the open workspace, with its novelty threshold: a near-copy is refused and the next
     *     seed tried
     * @param r what to draw
     * @return the pictures kept, then the grid if asked for
     */
    public static List<ImageGeneration.Made> generate(Studio studio, Request r) {
        Workspace ws = studio.workspace();
        if (r.count() < 1) {
            throw new UsageException("--count must be at least 1, was " + r.count());
        }
        ModelCard card = card(ws, r.model());
        card.requireStyle(r.style());
        List<ImageGeneration.Made> made = new ArrayList<>();
        try (VqVaeModel model = load(ws, card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            requirePrior(model);
            Compute.prepareThisThread();
            VqVaeSampler sampler = model.sampler();
            Gate gate = studio.gate(card);
            long seed = r.seed();
            for (int tries = 0; made.size() < r.count(); tries++, seed++) {
                gate.budget(tries, r.count(), made.size());
                Rng rng = new Rng(seed);
                String style = ImageGeneration.pickStyle(card, r.style(), rng);
                int[] codes = sampler.sample(manager, styleId(card, style), r.sampling(), rng, null, null);
                Picture p = sampler.picture(manager, codes);
                Gate.Verdict verdict = gate.picture(Works.id(card.name(), seed, p.pixels()), p, List.of());
                if (!verdict.accepted()) {
                    continue;
                }
                Map<String, Object> settings = settings(model.config(), codes, style, r.sampling());
                settings.put("min_novelty", gate.minNovelty());
                List<Manifest.HumanAction> actions = new ArrayList<>();
                if (r.style() != null) {
                    actions.add(new Manifest.HumanAction("style", r.style()));
                }
                made.add(ImageGeneration.save(studio, card, model.weightsHash(), seed, style, p, "picture", settings,
                        List.of(), actions, verdict));
            }
            if (r.grid() && made.size() > 1) {
                made.add(ImageGeneration.grid(studio, card, model.weightsHash(), r.seed(), r.style(), made, Map.of()));
            }
        }
        return made;
    }

    /**
     * A reconstruction and how close it came.
     *
     * @param made the work
     * @param mse mean squared error against the picture as the model reads it, pixel values in [0, 1]
     * @param psnr the same as peak signal-to-noise ratio, in dB
     */
    public record Reconstruction(ImageGeneration.Made made, double mse, double psnr) {}

    /**
     * @param ws the workspace
     * @param name the model
     * @param file a picture file
     * @return its reconstruction, saved as a work
     */
    public static Reconstruction reconstruct(Workspace ws, String name, Path file) {
        try (Studio studio = Studio.open(ws)) {
            return reconstruct(studio, name, file);
        }
    }

    /**
     * A reconstruction is the artist's own picture redrawn, so it is scored but never refused.
     *
     * @param studio the open workspace
     * @param name the model
     * @param file a picture file
     * @return its reconstruction, saved as a work
     */
    public static Reconstruction reconstruct(Studio studio, String name, Path file) {
        Workspace ws = studio.workspace();
        ModelCard card = card(ws, name);
        ImageCorpus.Options format = ImageModel.format(card);
        Picture original = ImageCorpus.readPicture(file, format); // names the file and the reason if it cannot
        String hash;
        try {
            hash = Hashing.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        try (VqVaeModel model = load(ws, card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            Compute.prepareThisThread();
            VqVaeSampler sampler = model.sampler();
            int[] codes = sampler.encode(manager, original);
            Picture p = sampler.picture(manager, codes);
            double mse = mse(original, p);
            double psnr = 10 * Math.log10(1.0 / Math.max(mse, 1e-12));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("kind", "reconstruction");
            settings.put("source", file.getFileName().toString());
            settings.put("source_sha256", hash);
            settings.put("codes", list(codes));
            settings.put("grid", model.config().grid());
            settings.put("size", model.config().size());
            settings.put("channels", model.config().channels());
            settings.put("mse", mse);
            settings.put("psnr_db", psnr);
            Gate.Verdict verdict = Gate.unchecked("a reconstruction of the artist's own picture " + file.getFileName(),
                    studio.gate(card).pictureScores(p));
            ImageGeneration.Made made = ImageGeneration.save(studio, card, model.weightsHash(), 0, null, p,
                    "reconstruction", settings, List.of(), List.of(new Manifest.HumanAction("reconstruct", "gave "
                            + file.getFileName())), verdict);
            return new Reconstruction(made, mse, psnr);
        }
    }

    /**
     * @param ws the workspace
     * @param work the parent work's id or path: a VQ-VAE picture
     * @param count how many children
     * @param seed the first child's seed
     * @param region the region to draw again, in pixels, or null for the middle of the picture (half its side)
     * @param sampling temperature, top-k, top-p
     * @return the children
     */
    public static List<ImageGeneration.Made> vary(Workspace ws, String work, int count, long seed, Region region,
            SamplingSettings sampling) {
        try (Studio studio = Studio.open(ws)) {
            return vary(studio, work, count, seed, region, sampling);
        }
    }

    /**
     * @param studio the open workspace, with its novelty threshold: a child that is a near-copy of the
     *     corpus (or of a catalogued work other than its parent) is refused and the next seed tried
     * @param work the parent work's id or path: a VQ-VAE picture
     * @param count how many children
     * @param seed the first candidate's seed
     * @param region the region to draw again, in pixels, or null for the middle of the picture
     * @param sampling temperature, top-k, top-p
     * @return the children
     */
    public static List<ImageGeneration.Made> vary(Studio studio, String work, int count, long seed, Region region,
            SamplingSettings sampling) {
        Workspace ws = studio.workspace();
        if (count < 1) {
            throw new UsageException("--count must be at least 1, was " + count);
        }
        Works.Saved parent = Works.find(studio, work);
        ModelCard card = card(ws, parent.manifest().model().name());
        Map<String, Object> ps = parent.manifest().settings();
        if (!(ps.get("codes") instanceof List<?> list)) {
            throw new UsageException("work " + parent.id() + " has no code grid (a grid or an animation cannot be"
                    + " varied)");
        }
        int[] base = ints(list);
        String style = ps.get("style") instanceof String st ? st : null;
        List<ImageGeneration.Made> made = new ArrayList<>();
        try (VqVaeModel model = load(ws, card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            requirePrior(model);
            VqVaeConfig c = model.config();
            if (base.length != c.grid() * c.grid()) {
                throw new AtelierException("work " + parent.id() + " has a grid of " + base.length + " codes; model '"
                        + card.name() + "' now reads " + c.grid() * c.grid() + " (was it replaced?)");
            }
            for (int k : base) {
                if (k < 0 || k >= c.codes()) {
                    throw new AtelierException("work " + parent.id() + " names code " + k + "; model '" + card.name()
                            + "' has " + c.codes() + " (was it replaced?)");
                }
            }
            Region where = region != null ? region : new Region(c.size() / 4, c.size() / 4, c.size() / 2, c.size() / 2);
            boolean[] mask = where.cells(c.size(), c.downsample());
            Compute.prepareThisThread();
            VqVaeSampler sampler = model.sampler();
            Gate gate = studio.gate(card);
            long s = seed;
            for (int tries = 0; made.size() < count; tries++, s++) {
                gate.budget(tries, count, made.size());
                int[] codes = sampler.sample(manager, styleId(card, style), sampling, new Rng(s), base, mask);
                Picture p = sampler.picture(manager, codes);
                Gate.Verdict verdict = gate.picture(Works.id(card.name(), s, p.pixels()), p, List.of(parent.id()));
                if (!verdict.accepted()) {
                    continue;
                }
                Map<String, Object> settings = settings(c, codes, style, sampling);
                settings.put("min_novelty", gate.minNovelty());
                settings.put("region", where.toString());
                settings.put("region_cells", cellList(mask));
                if (!model.weightsHash().equals(parent.manifest().model().checkpoint())) {
                    settings.put("parent_made_by_other_weights", parent.id() + " was drawn by checkpoint "
                            + parent.manifest().model().checkpoint() + " (step " + parent.manifest().model().step()
                            + ")");
                }
                made.add(ImageGeneration.save(studio, card, model.weightsHash(), s, style, p, "picture", settings,
                        List.of(parent.id()), List.of(new Manifest.HumanAction("vary", "chose " + parent.id()
                                + " to vary, region " + where)), verdict));
            }
        }
        return made;
    }

    /**
     * An animation to make.
     *
     * @param model the model's name
     * @param works keyframe works of this model (ids or paths); empty to draw the keyframes from the prior
     * @param keyframes keyframes drawn from the prior when no works are given, at least 2
     * @param frames frames in one loop
     * @param fps frames per second
     * @param seed draws the keyframes (and the style, if not given)
     * @param style the style, or null
     * @param sampling temperature, top-k, top-p of the drawn keyframes
     * @param format "gif" or "apng"
     */
    public record AnimationRequest(String model, List<String> works, int keyframes, int frames, int fps, long seed,
            String style, SamplingSettings sampling, String format) {}

    /**
     * @param ws the workspace
     * @param r the animation
     * @return the animation work (its picture is the first frame)
     */
    public static ImageGeneration.Made animate(Workspace ws, AnimationRequest r) {
        try (Studio studio = Studio.open(ws)) {
            return animate(studio, r);
        }
    }

    /**
     * @param studio the open workspace, with its novelty threshold: a loop whose least novel frame is a
     *     near-copy is refused; keyframes drawn from the prior are then drawn again with the next seed
     * @param r the animation
     * @return the animation work (its picture is the first frame)
     */
    public static ImageGeneration.Made animate(Studio studio, AnimationRequest r) {
        Workspace ws = studio.workspace();
        int keys = r.works().isEmpty() ? r.keyframes() : r.works().size();
        if (keys < 2) {
            throw new UsageException(r.works().isEmpty() ? "--keyframes must be at least 2, was " + r.keyframes()
                    : "--works needs at least two works to morph between");
        }
        if (r.frames() < keys) {
            throw new UsageException("--frames must be at least the keyframes (" + keys + "), was " + r.frames());
        }
        if (r.fps() < 1 || r.fps() > 100) {
            throw new UsageException("--fps must be from 1 to 100, was " + r.fps());
        }
        String format = r.format().toLowerCase(Locale.ROOT);
        if (!format.equals("gif") && !format.equals("apng")) {
            throw new UsageException("--format must be gif or apng, was " + r.format());
        }
        ModelCard card = card(ws, r.model());
        card.requireStyle(r.style());
        List<Works.Saved> parents = new ArrayList<>();
        for (String w : r.works()) {
            Works.Saved saved = Works.find(studio, w);
            if (!card.name().equals(saved.manifest().model().name())) {
                throw new UsageException("work " + saved.id() + " is by model '" + saved.manifest().model().name()
                        + "', not '" + card.name() + "'");
            }
            if (!(saved.manifest().settings().get("codes") instanceof List<?>)) {
                throw new UsageException("work " + saved.id() + " has no code grid (a grid or an animation cannot be a"
                        + " keyframe)");
            }
            parents.add(saved);
        }
        try (VqVaeModel model = load(ws, card);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            VqVaeConfig c = model.config();
            Compute.prepareThisThread();
            VqVaeSampler sampler = model.sampler();
            Gate gate = studio.gate(card);
            long seed = r.seed();
            for (int tries = 0;; tries++, seed++) {
                gate.budget(tries, 1, 0);
                Rng rng = new Rng(seed);
                String style = ImageGeneration.pickStyle(card, r.style(), rng);
                List<int[]> grids = new ArrayList<>();
                if (parents.isEmpty()) {
                    requirePrior(model);
                    for (int k = 0; k < keys; k++) {
                        grids.add(sampler.sample(manager, styleId(card, style), r.sampling(), rng, null, null));
                    }
                } else {
                    for (Works.Saved p : parents) {
                        int[] g = ints((List<?>) p.manifest().settings().get("codes"));
                        if (g.length != c.grid() * c.grid()) {
                            throw new AtelierException("work " + p.id() + " has a grid of " + g.length
                                    + " codes; model '" + card.name() + "' now reads " + c.grid() * c.grid()
                                    + " (was it replaced?)");
                        }
                        grids.add(g);
                    }
                }
                List<float[]> latents = new ArrayList<>();
                for (int[] g : grids) {
                    latents.add(sampler.latent(manager, g));
                }
                List<Picture> frames = new ArrayList<>();
                for (int f = 0; f < r.frames(); f++) {
                    double position = (double) f * keys / r.frames();
                    int k = (int) position;
                    double t = position - k;
                    float[] a = latents.get(k);
                    float[] b = latents.get((k + 1) % keys);
                    float[] z = new float[a.length];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = (float) ((1 - t) * a[i] + t * b[i]);
                    }
                    frames.add(sampler.picture(manager, z));
                }
                byte[] bytes = AnimationCodec.encode(frames, format, r.fps());
                String id = Works.id(card.name(), seed, bytes);
                Gate.Verdict verdict = gate.animation(id, frames, r.works().isEmpty() ? List.of()
                        : parents.stream().map(Works.Saved::id).toList());
                if (!verdict.accepted()) {
                    if (!parents.isEmpty()) {
                        throw new AtelierException("the morph between " + String.join(", ", r.works())
                                + " is a near-copy: " + verdict.reason() + " (lower --min-novelty to keep it)");
                    }
                    continue;
                }
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("kind", "animation");
                settings.put("format", format);
                settings.put("keyframe_codes", grids.stream().map(VqVaeGeneration::list).toList());
                settings.put("frames", r.frames());
                settings.put("fps", r.fps());
                settings.put("style", style);
                settings.put("interpolation", "linear between the keyframes' code vectors, closed loop");
                if (parents.isEmpty()) {
                    settings.put("temperature", r.sampling().temperature());
                    settings.put("top_k", r.sampling().topK());
                    settings.put("top_p", r.sampling().topP());
                }
                List<Manifest.HumanAction> actions = new ArrayList<>();
                if (r.style() != null) {
                    actions.add(new Manifest.HumanAction("style", r.style()));
                }
                if (!parents.isEmpty()) {
                    actions.add(new Manifest.HumanAction("animate", "chose "
                            + String.join(", ", parents.stream().map(Works.Saved::id).toList()) + " as keyframes"));
                }
                settings.put("min_novelty", gate.minNovelty());
                Manifest m = Manifest.draft(id, ImageModel.MEDIUM,
                        ImageGeneration.modelRef(card, model.weightsHash()), seed, settings, parents.stream().map(Works.Saved::id).toList(), actions);
                Works.Saved saved = studio.publish(new Studio.Draft("animation",
                        format.equals("gif") ? "gif" : "png", bytes, m, style, verdict, null));
                return new ImageGeneration.Made(saved, seed, style, frames.get(0));
            }
        }
    }

    /**
     * @param ws the workspace
     * @param name a model's name
     * @return whether it is a VQ-VAE
     */
    public static boolean isVqVae(Workspace ws, String name) {
        ModelCard card = ImageGeneration.pictureCard(ws, name);
        return VqVaeConfig.FAMILY.equals(card.family());
    }

    private static ModelCard card(Workspace ws, String name) {
        return Checkpoint.expect(ImageGeneration.pictureCard(ws, name), ImageModel.MEDIUM, VqVaeConfig.FAMILY);
    }

    private static VqVaeModel load(Workspace ws, ModelCard card) {
        return VqVaeModel.load(ws.model(card.name()), card);
    }

    private static void requirePrior(VqVaeModel model) {
        if (!model.priorTrained()) {
            throw new UsageException("model '" + model.card().name() + "' has trained only its autoencoder (step "
                    + model.card().step() + "); its prior draws pictures once it has trained (resume the training),"
                    + " and atelier reconstruct works now");
        }
    }

    private static int styleId(ModelCard card, String style) {
        return style == null || card.styles().isEmpty() ? -1 : card.styles().indexOf(style);
    }

    private static Map<String, Object> settings(VqVaeConfig c, int[] codes, String style, SamplingSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("codes", list(codes));
        m.put("grid", c.grid());
        m.put("style", style);
        m.put("temperature", s.temperature());
        m.put("top_k", s.topK());
        m.put("top_p", s.topP());
        m.put("size", c.size());
        m.put("channels", c.channels());
        return m;
    }

    /** @return the codes as a list, as a manifest read back holds them */
    private static List<Integer> list(int[] codes) {
        return java.util.Arrays.stream(codes).boxed().toList();
    }

    private static List<Integer> cellList(boolean[] mask) {
        List<Integer> cells = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                cells.add(i);
            }
        }
        return cells;
    }

    private static int[] ints(List<?> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).intValue();
        }
        return out;
    }

    private static double mse(Picture a, Picture b) {
        double sum = 0;
        byte[] x = a.pixels();
        byte[] y = b.pixels();
        for (int i = 0; i < x.length; i++) {
            double d = ((x[i] & 0xff) - (y[i] & 0xff)) / 255.0;
            sum += d * d;
        }
        return sum / x.length;
    }
}
