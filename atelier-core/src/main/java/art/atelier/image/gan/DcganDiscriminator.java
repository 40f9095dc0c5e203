package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

import art.atelier.nn.Layer;
import art.atelier.nn.Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * DCGAN's discriminator (Radford et al. 2016): 4×4 convolutions of stride 2 halve the resolution
 * and double the channels down to 4×4, with leaky ReLU (slope 0.2) everywhere and BatchNorm on every
 * layer but the first; a last 4×4 convolution without padding gives one logit.
 *
 * <p>In the atelier family every convolution is also spectrally normalised (Miyato et al. 2018), and
 * BatchNorm follows as in DCGAN: the arrangement of FastGAN's discriminator (Liu et al. 2021). Models
 * made before that had spectral normalisation alone ({@link GanConfig#discriminatorNorm}), which
 * needs no batch statistics, so real and generated pictures then share one pass. A styled model adds
 * the projection ⟨embed(style), h⟩ over the last feature map h (Miyato and Koyama 2018).
 */
public final class DcganDiscriminator extends Discriminator {

    private static final byte VERSION = 1;

    private final List<Layer> convs = new ArrayList<>(); // stride-2 4×4, size → 4
    private final List<BatchNorm> norms = new ArrayList<>(); // after every conv but the first
    private final Layer out; // 4×4 valid convolution to one channel
    private final boolean spectral; // spectral normalisation in every layer
    private final boolean batchNorm; // BatchNorm after every conv but the first
    private final int tailWidth; // channels of the 4×4 map
    private final Parameter styleEmbedding; // (S, 16·tailWidth), or null

    /** @param config the model's shape */
    public DcganDiscriminator(GanConfig config) {
        super(VERSION, config);
        spectral = config.spectral();
        batchNorm = config.discriminatorBatchNorm();
        Initializer init = new NormalInitializer(0.02f);
        int in = config.channels();
        for (int s = 1; s <= config.stages(); s++) {
            int resolution = config.size() >> s;
            int width = config.width(config.discriminatorWidth(), resolution);
            convs.add(addChildBlock("conv" + s, Layer.conv(in, width, 4, 2, 1, spectral, init)));
            if (s > 1 && batchNorm) {
                norms.add(addChildBlock("norm" + s, BatchNorm.builder().build()));
            }
            in = width;
        }
        out = addChildBlock("out", Layer.conv(in, 1, 4, 1, 0, spectral, init));
        tailWidth = in;
        styleEmbedding = config.styles() == 0 ? null
                : addParameter(Parameter.builder().setName("style").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(config.styles(), 16L * in)).build());
        setInitializer(init, ai.djl.nn.Parameter.Type.WEIGHT);
        setInitializer((m, shape, type) -> m.randomNormal(1f, 0.02f, shape, type), ai.djl.nn.Parameter.Type.GAMMA);
    }

    @Override
    public NDArray score(ParameterStore ps, NDArray x, NDArray styles, boolean training) {
        for (int i = 0; i < convs.size(); i++) {
            x = convs.get(i).apply(ps, x, training);
            if (i > 0 && batchNorm) {
                x = norms.get(i - 1).forward(ps, new NDList(x), training).head();
            }
            x = Ops.leakyRelu(x);
        }
        NDArray score = out.apply(ps, x, training).reshape(-1);
        if (styleEmbedding != null) {
            // the projection discriminator (Miyato and Koyama 2018): + ⟨embed(style), h⟩
            NDArray h = x.reshape(x.getShape().get(0), 16L * tailWidth);
            NDArray table = ps.getValue(styleEmbedding, x.getDevice(), training);
            NDArray e = styles.getNDArrayInternal().embedding(styles, table, SparseFormat.DENSE).head();
            score = score.add(h.mul(e).sum(new int[] {1}));
        }
        return score;
    }

    @Override
    public boolean batchIndependent() {
        return !batchNorm;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int in = config.channels();
        int resolution = config.size();
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, new Shape(b, in, resolution, resolution));
            in = (int) convs.get(i).getParameters().get("weight").getShape().get(0);
            resolution /= 2;
            if (i > 0 && batchNorm) {
                norms.get(i - 1).initialize(manager, dataType, new Shape(b, in, resolution, resolution));
            }
        }
        out.initialize(manager, dataType, new Shape(b, in, 4, 4));
    }
}
