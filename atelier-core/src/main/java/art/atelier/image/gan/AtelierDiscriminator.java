package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * The default discriminator: every layer spectrally normalised (Miyato et al. 2018). A 3×3
 * convolution reads the picture; per stage a stride-2 4×4 convolution halves the resolution and
 * doubles the channels, down to 4×4 (few layers: each spectrally normalised layer can only shrink
 * a signal, and a deep stack of them learns slowly); a fully connected layer makes a feature vector
 * h, and the score is w·h plus, for a styled model, the projection ⟨embed(style), h⟩ of Miyato and
 * Koyama (2018), which lets one network judge "is this a real picture of this style". Leaky ReLU
 * (0.2) throughout; no batch statistics, so real and generated pictures can share one pass.
 */
public final class AtelierDiscriminator extends Discriminator {

    private static final byte VERSION = 1;

    private final int tailWidth; // channels of the 4×4 map
    private final Layer fromPicture; // 3×3, channels → width(size)
    private final List<Layer> convs = new ArrayList<>(); // per stage: 4×4 stride 2
    private final Layer features; // (F, 16·F)
    private final Layer out; // (1, F)
    private final Parameter styleEmbedding; // (S, F), or null

    /** @param config the model's shape */
    public AtelierDiscriminator(GanConfig config) {
        super(VERSION, config);
        int width = config.width(config.discriminatorWidth(), config.size());
        fromPicture = addChildBlock("from_picture", Layer.conv(config.channels(), width, 3, 1, 1, true, Layer.he()));
        for (int s = 1; s <= config.stages(); s++) {
            int next = config.width(config.discriminatorWidth(), config.size() >> s);
            convs.add(addChildBlock("conv" + s, Layer.conv(width, next, 4, 2, 1, true, Layer.he())));
            width = next;
        }
        tailWidth = width;
        features = addChildBlock("features", Layer.dense(16 * width, width, true, Layer.he()));
        out = addChildBlock("out", Layer.dense(width, 1, true, Layer.he()));
        styleEmbedding = config.styles() == 0 ? null
                : addParameter(Parameter.builder().setName("style").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(config.styles(), width)).optInitializer(new NormalInitializer(0.02f))
                        .build());
    }

    @Override
    public NDArray score(ParameterStore ps, NDArray x, NDArray styles, boolean training) {
        long b = x.getShape().get(0);
        x = Ops.leakyRelu(fromPicture.apply(ps, x, training));
        for (Layer conv : convs) {
            x = Ops.leakyRelu(conv.apply(ps, x, training));
        }
        NDArray h = Ops.leakyRelu(features.apply(ps, x.reshape(b, 16L * tailWidth), training)); // (B, F)
        NDArray score = out.apply(ps, h, training).reshape(b);
        if (styleEmbedding != null) {
            NDArray table = ps.getValue(styleEmbedding, x.getDevice(), training);
            NDArray e = styles.getNDArrayInternal().embedding(styles, table, SparseFormat.DENSE).head(); // (B, F)
            score = score.add(h.mul(e).sum(new int[] {1}));
        }
        return score;
    }

    @Override
    public boolean batchIndependent() {
        return true;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int size = config.size();
        fromPicture.initialize(manager, dataType, new Shape(b, config.channels(), size, size));
        int width = config.width(config.discriminatorWidth(), size);
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, new Shape(b, width, size, size));
            width = (int) convs.get(i).getParameters().get("weight").getShape().get(0);
            size /= 2;
        }
        features.initialize(manager, dataType, new Shape(b, 16L * tailWidth));
        out.initialize(manager, dataType, new Shape(b, tailWidth));
    }
}
