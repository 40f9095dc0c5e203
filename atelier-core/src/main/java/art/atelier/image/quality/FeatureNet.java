package art.atelier.image.quality;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import art.atelier.AtelierException;
import art.atelier.image.Picture;
import art.atelier.nn.Compute;
import art.atelier.train.AdamW;
import art.atelier.train.Checkpoint;
import art.atelier.train.TrainSettings;
import art.atelier.util.AtomicFiles;
import art.atelier.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature network quality is measured with: a small convolutional network that the project trains
 * itself, on the corpus, so that no downloaded weights (Inception's, for FID and KID) are needed and
 * every model of a corpus is measured by the same ruler.
 *
 * <p>It learns by predicting by how much a picture was rotated (0°, 90°, 180° or 270°; Gidaris et al.
 * 2018, "Unsupervised Representation Learning by Predicting Image Rotations"), which needs no labels
 * and forces it to recognise the objects, strokes and layouts of the corpus. Five 3×3 convolutions
 * (the last four of stride 2) with leaky ReLU, then global average pooling give a
 * {@value #FEATURES}-value feature vector per picture; a linear layer over it predicts the rotation
 * during training and is not used afterwards.
 *
 * <p>Training is seeded and the result is cached in the workspace per corpus fingerprint and picture
 * format, so the ruler of a corpus is made once and never changes.
 */
public final class FeatureNet implements AutoCloseable {

    /** Length of a feature vector. */
    public static final int FEATURES = 128;
    /** Training steps of a new network. */
    public static final int STEPS = 600;
    private static final int BATCH = 64;
    private static final long SEED = 20181;
    private static final String WEIGHTS = "features.params";

    private final Model model;
    private final Net net;
    private final ParameterStore store;
    private final List<Double> losses = new ArrayList<>(); // rotation loss per training step, empty if read from cache

    private FeatureNet(Model model, Net net) {
        this.model = model;
        this.net = net;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * The network for a corpus: read from {@code cache} if there, else trained on {@code pictures} and
     * written there.
     *
     * @param cache the network's folder (one per corpus fingerprint and picture format)
     * @param pictures the corpus's pictures, all of one size and channel count
     * @param progress told of each training step's number, e.g. for a progress line
     * @return the network
     */
    public static FeatureNet forCorpus(Path cache, List<Picture> pictures, java.util.function.IntConsumer progress) {
        return forCorpus(cache, pictures, STEPS, progress);
    }

    /**
     * @param cache the network's folder
     * @param pictures the corpus's pictures
     * @param steps training steps if it must be trained ({@link #STEPS} for the ruler the CLI uses)
     * @param progress told of each training step's number
     * @return the network
     */
    public static FeatureNet forCorpus(Path cache, List<Picture> pictures, int steps,
            java.util.function.IntConsumer progress) {
        Picture first = pictures.get(0);
        Compute.init();
        Model model = Model.newInstance("features", Compute.device(), "PyTorch");
        try {
            Net net = new Net(first.channels());
            model.setBlock(net);
            Compute.seed(SEED);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, first.channels(), first.height(),
                    first.width()));
            FeatureNet f = new FeatureNet(model, net);
            if (Checkpoint.exists(cache) || java.nio.file.Files.isRegularFile(cache.resolve(WEIGHTS))) {
                Checkpoint.loadWeights(cache, net, model.getNDManager(), WEIGHTS);
            } else {
                f.train(pictures, steps, progress);
                try {
                    AtomicFiles.replaceDirectory(cache, dir -> Checkpoint.saveWeights(dir, net, WEIGHTS));
                } catch (IOException e) {
                    throw new AtelierException("cannot write the feature network to " + cache + ": " + e.getMessage(), e);
                }
            }
            return f;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private void train(List<Picture> pictures, int steps, java.util.function.IntConsumer progress) {
        Compute.prepareThisThread();
        Picture first = pictures.get(0);
        int c = first.channels();
        int s = first.width();
        int plane = c * s * s;
        TrainSettings settings = new TrainSettings(steps, BATCH, 1e-3f, 1e-3f, 0, 0f, 0.9f, 0.999f, 1e-8f, 0f, steps, 1,
                steps, SEED);
        Rng rng = new Rng(SEED);
        NDManager manager = model.getNDManager();
        try (AdamW optimizer = new AdamW(manager, net.getParameters(), settings, p -> false)) {
            for (int step = 0; step < steps; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    float[] data = new float[BATCH * plane];
                    int[] labels = new int[BATCH];
                    float[] one = new float[plane];
                    for (int i = 0; i < BATCH; i++) {
                        pictures.get(rng.nextInt(pictures.size())).toSigned(one, 0);
                        labels[i] = rng.nextInt(4);
                        rotate(one, data, i * plane, c, s, labels[i]);
                    }
                    NDArray x = scope.create(data, new Shape(BATCH, c, s, s));
                    NDArray y = scope.create(labels);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.classify(store, net.features(store, x, true), true);
                        NDArray loss = logits.logSoftmax(1).get(new ai.djl.ndarray.index.NDIndex()
                                .addAllDim().addPickDim(y.toType(DataType.INT64, false).reshape(BATCH, 1)))
                                .mean().neg();
                        collector.backward(loss);
                        losses.add((double) loss.getFloat());
                    }
                    optimizer.update(optimizer.gradient(scope), 1e-3f);
                }
                progress.accept(step + 1);
            }
        }
    }

    /** Copies a (C, S, S) picture into {@code out} rotated by quarter turns counter-clockwise. */
    static void rotate(float[] in, float[] out, int offset, int c, int s, int quarters) {
        for (int ch = 0; ch < c; ch++) {
            int base = ch * s * s;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int sx;
                    int sy;
                    switch (quarters) {
                        case 1 -> {
                            sx = s - 1 - y;
                            sy = x;
                        }
                        case 2 -> {
                            sx = s - 1 - x;
                            sy = s - 1 - y;
                        }
                        case 3 -> {
                            sx = y;
                            sy = s - 1 - x;
                        }
                        default -> {
                            sx = x;
                            sy = y;
                        }
                    }
                    out[offset + base + y * s + x] = in[base + sy * s + sx];
                }
            }
        }
    }

    /**
     * @param pictures pictures of the corpus's size and channels
     * @return one feature vector per picture
     */
    public float[][] features(List<Picture> pictures) {
        Compute.prepareThisThread();
        float[][] out = new float[pictures.size()][];
        int chunk = 64;
        for (int from = 0; from < pictures.size(); from += chunk) {
            List<Picture> part = pictures.subList(from, Math.min(pictures.size(), from + chunk));
            Picture first = part.get(0);
            int plane = first.channels() * first.width() * first.height();
            float[] data = new float[part.size() * plane];
            for (int i = 0; i < part.size(); i++) {
                part.get(i).toSigned(data, i * plane);
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray x = scope.create(data, new Shape(part.size(), first.channels(), first.height(), first.width()));
                float[] f = net.features(store, x, false).toFloatArray();
                for (int i = 0; i < part.size(); i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(f, i * FEATURES, (i + 1) * FEATURES);
                }
            }
        }
        return out;
    }

    /** @return the rotation-prediction loss of every training step (empty for a network read from its cache) */
    public List<Double> trainingLosses() {
        return List.copyOf(losses);
    }

    @Override
    public void close() {
        model.close();
    }

    /** The network: convolutions, pooling, and the rotation head. */
    private static final class Net extends AbstractBlock {
        private final int channels;
        private final List<Parameter> weights = new ArrayList<>(); // (O, I, 3, 3) per conv
        private final List<Parameter> biases = new ArrayList<>(); // (O) per conv
        private final Parameter head; // (4, FEATURES)
        private final Parameter headBias; // (4)
        private static final int[] WIDTHS = {32, 64, 128, 128, FEATURES};

        Net(int channels) {
            super((byte) 1);
            this.channels = channels;
            Initializer he = (m, shape, type) -> m.randomNormal(0f, (float) Math.sqrt(2.0 / (shape.size() / shape.get(0))),
                    shape, type);
            int in = channels;
            for (int i = 0; i < WIDTHS.length; i++) {
                weights.add(addParameter(Parameter.builder().setName("conv" + i).setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(WIDTHS[i], in, 3, 3)).optInitializer(he).build()));
                biases.add(addParameter(Parameter.builder().setName("bias" + i).setType(Parameter.Type.BIAS)
                        .optShape(new Shape(WIDTHS[i])).build()));
                in = WIDTHS[i];
            }
            head = addParameter(Parameter.builder().setName("head").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(4, FEATURES)).optInitializer(he).build());
            headBias = addParameter(Parameter.builder().setName("head_bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(4)).build());
        }

        NDArray features(ParameterStore ps, NDArray x, boolean training) {
            for (int i = 0; i < weights.size(); i++) {
                int stride = i == 0 ? 1 : 2;
                x = x.getNDArrayInternal().convolution(x, ps.getValue(weights.get(i), x.getDevice(), training),
                        ps.getValue(biases.get(i), x.getDevice(), training), new Shape(stride, stride), new Shape(1, 1),
                        new Shape(1, 1), 1).head().getNDArrayInternal().leakyRelu(0.2f);
            }
            return x.mean(new int[] {3}).mean(new int[] {2}); // (B, FEATURES)
        }

        NDArray classify(ParameterStore ps, NDArray f, boolean training) {
            return f.getNDArrayInternal().linear(f, ps.getValue(head, f.getDevice(), training),
                    ps.getValue(headBias, f.getDevice(), training)).head();
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(features(ps, inputs.head(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), FEATURES)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            // no children; channels fixed at construction
            if (inputShapes[0].get(1) != channels) {
                throw new IllegalArgumentException("expected " + channels + " channels");
            }
        }
    }
}
