package art.atelier.image.vqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

import art.atelier.image.ImageDataset;
import art.atelier.image.Picture;
import art.atelier.nn.Gpt;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole model, its weights saved as one file: the autoencoder (encoder, vector quantizer,
 * decoder) and the prior, the shared GPT over the code grid in raster order.
 *
 * <pre>
 *   picture x ──encoder──> z_e (D, g, g) ──nearest code──> k (g, g) ──codebook──> e_k ──decoder──> x̂
 *   new picture: k ~ prior (raster order, style) ──codebook──> decoder
 * </pre>
 */
public final class VqVae extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final int ENCODE_CHUNK = 64; // pictures encoded at once
    /** Convolution weights: uniform in ±1/√fan-in, PyTorch's default (and the reference's). */
    static final Initializer INIT = new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
            XavierInitializer.FactorType.IN, 1f);

    private final VqVaeConfig config;
    private final Encoder encoder;
    private final VectorQuantizer quantizer;
    private final Decoder decoder;
    private final Gpt prior;

    /** @param config the model's shape */
    public VqVae(VqVaeConfig config) {
        super(VERSION);
        this.config = config;
        encoder = addChildBlock("encoder", new Encoder(config));
        quantizer = addChildBlock("quantizer", new VectorQuantizer(config));
        decoder = addChildBlock("decoder", new Decoder(config));
        prior = addChildBlock("prior", new Gpt(config.prior()));
    }

    /** @return the model's shape */
    public VqVaeConfig config() {
        return config;
    }

    /** @return the quantizer */
    public VectorQuantizer quantizer() {
        return quantizer;
    }

    /** @return the prior */
    public Gpt prior() {
        return prior;
    }

    /** @return the encoder's and decoder's parameters: what the autoencoder's optimizer updates */
    public PairList<String, ai.djl.nn.Parameter> autoencoderParameters() {
        PairList<String, ai.djl.nn.Parameter> p = new PairList<>();
        p.addAll(encoder.getParameters());
        p.addAll(decoder.getParameters());
        return p;
    }

    /**
     * @param ps the parameter store
     * @param x pictures, (B, C, S, S) in [-1, 1]
     * @param training whether this is a training pass
     * @return encoder outputs z_e, (B, D, g, g)
     */
    public NDArray encode(ParameterStore ps, NDArray x, boolean training) {
        return encoder.encode(ps, x, training);
    }

    /**
     * @param ps the parameter store
     * @param z code vectors (or any points of their space), (B, D, g, g)
     * @param training whether this is a training pass
     * @return pictures, (B, C, S, S), unclamped
     */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        return decoder.decode(ps, z, training);
    }

    /**
     * @param ps the parameter store
     * @param x pictures, (B, C, S, S) in [-1, 1]
     * @return their codes, (B, g, g) int64
     */
    public NDArray codes(ParameterStore ps, NDArray x) {
        NDArray flat = encode(ps, x, false).transpose(0, 2, 3, 1).reshape(-1, config.codeDim());
        long b = x.getShape().get(0);
        return quantizer.nearest(flat, x.getManager()).reshape(b, config.grid(), config.grid());
    }

    /**
     * Encodes many pictures, a chunk at a time.
     *
     * @param ps the parameter store
     * @param pictures pictures of the model's size and channels
     * @param mirrored encode their mirror images (left and right swapped) instead
     * @param manager where the chunks' arrays live while they are encoded
     * @return each picture's codes, (g·g) in raster order
     */
    public List<int[]> grids(ParameterStore ps, List<Picture> pictures, boolean mirrored, NDManager manager) {
        int n = config.grid() * config.grid();
        List<int[]> out = new ArrayList<>(pictures.size());
        for (int from = 0; from < pictures.size(); from += ENCODE_CHUNK) {
            int to = Math.min(pictures.size(), from + ENCODE_CHUNK);
            try (NDManager s = manager.newSubManager()) {
                NDArray x = ImageDataset.stack(pictures.subList(from, to), s);
                long[] codes = codes(ps, mirrored ? x.flip(3) : x).toLongArray();
                for (int i = 0; i < to - from; i++) {
                    int[] grid = new int[n];
                    for (int j = 0; j < n; j++) {
                        grid[j] = (int) codes[i * n + j];
                    }
                    out.add(grid);
                }
            }
        }
        return out;
    }

    /**
     * @param codes (B, g, g) int64
     * @return their code vectors as the decoder reads them, (B, D, g, g)
     */
    public NDArray latent(NDArray codes) {
        return quantizer.lookup(codes).transpose(0, 3, 1, 2);
    }

    /**
     * @param ps the parameter store
     * @param codes (B, g, g) int64
     * @return their pictures, (B, C, S, S), unclamped
     */
    public NDArray picture(ParameterStore ps, NDArray codes) {
        return decode(ps, latent(codes), false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ze = encode(ps, inputs.head(), training);
        return new NDList(decode(ps, quantizer.quantize(ze).straightThrough(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape picture = new Shape(1, config.channels(), config.size(), config.size());
        Shape grid = new Shape(1, config.codeDim(), config.grid(), config.grid());
        encoder.initialize(manager, dataType, picture);
        quantizer.initialize(manager, dataType, grid);
        decoder.initialize(manager, dataType, grid);
        prior.initialize(manager);
    }

    /**
     * Initialises every parameter.
     *
     * @param manager the model's manager
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), config.size(), config.size()));
    }
}
