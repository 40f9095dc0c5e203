package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * The default generator, after ProGAN's (Karras et al. 2018) without its growing: z (with the style's
 * embedding appended) projected to a 4×4 map, then per stage nearest-neighbour upsampling and two 3×3
 * convolutions, each followed by leaky ReLU and pixel normalisation; a 1×1 convolution and tanh make
 * the picture. No BatchNorm: a picture depends on its latent alone, never on its batch, and the moving
 * average of the weights (kept by the trainer) needs no running statistics.
 */
public final class AtelierGenerator extends Generator {

    private static final byte VERSION = 1;
    /** Length of a style's embedding, appended to z. */
    static final int STYLE_EMBEDDING = 64;

    private final int headWidth; // F: channels of the 4×4 map
    private final Parameter styleEmbedding; // (S, 64), or null for an unconditioned model
    private final Layer project; // (16·F, latent [+ 64])
    private final Layer headConv; // 3×3 at 4×4
    private final List<Layer> convs = new ArrayList<>(); // two 3×3 per stage
    private final Layer toPicture; // 1×1 to the picture's channels

    /** @param config the model's shape */
    public AtelierGenerator(GanConfig config) {
        super(VERSION, config);
        headWidth = config.width(config.generatorWidth(), 4);
        styleEmbedding = config.styles() == 0 ? null
                : addParameter(Parameter.builder().setName("style").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(config.styles(), STYLE_EMBEDDING))
                        .optInitializer(new NormalInitializer(1f)).build());
        int in = config.latent() + (styleEmbedding == null ? 0 : STYLE_EMBEDDING);
        project = addChildBlock("project", Layer.dense(in, 16 * headWidth, false, Layer.he()));
        headConv = addChildBlock("head", Layer.conv(headWidth, headWidth, 3, 1, 1, false, Layer.he()));
        int width = headWidth;
        for (int s = 1; s <= config.stages(); s++) {
            int out = config.width(config.generatorWidth(), 4 << s);
            convs.add(addChildBlock("conv" + s + "a", Layer.conv(width, out, 3, 1, 1, false, Layer.he())));
            convs.add(addChildBlock("conv" + s + "b", Layer.conv(out, out, 3, 1, 1, false, Layer.he())));
            width = out;
        }
        // small output weights: the first pictures are near grey, not saturated by tanh, whose gradient
        // would then vanish
        toPicture = addChildBlock("to_picture", Layer.conv(width, config.channels(), 1, 1, 0, false,
                new NormalInitializer(0.02f)));
    }

    @Override
    public NDArray head(ParameterStore ps, NDArray z, NDArray styles, boolean training) {
        NDArray input = z;
        if (styleEmbedding != null) {
            if (styles == null) {
                throw new IllegalArgumentException("this generator is conditioned on style: give style weights");
            }
            NDArray e = styles.matMul(ps.getValue(styleEmbedding, z.getDevice(), training)); // (B, 64)
            input = NDArrays.concat(new NDList(z, e), 1);
        }
        NDArray x = project.apply(ps, input, training).reshape(z.getShape().get(0), headWidth, 4, 4);
        return Ops.pixelNorm(Ops.leakyRelu(x));
    }

    @Override
    public NDArray body(ParameterStore ps, NDArray x, boolean training) {
        x = Ops.pixelNorm(Ops.leakyRelu(headConv.apply(ps, x, training)));
        for (int i = 0; i < convs.size(); i += 2) {
            x = Ops.upsample2x(x);
            x = Ops.pixelNorm(Ops.leakyRelu(convs.get(i).apply(ps, x, training)));
            x = Ops.pixelNorm(Ops.leakyRelu(convs.get(i + 1).apply(ps, x, training)));
        }
        return toPicture.apply(ps, x, training).tanh();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int in = config.latent() + (styleEmbedding == null ? 0 : STYLE_EMBEDDING);
        project.initialize(manager, dataType, new Shape(b, in));
        headConv.initialize(manager, dataType, new Shape(b, headWidth, 4, 4));
        int width = headWidth;
        for (int i = 0; i < convs.size(); i++) {
            int resolution = 8 << (i / 2);
            convs.get(i).initialize(manager, dataType, new Shape(b, width, resolution, resolution));
            width = (int) convs.get(i).getParameters().get("weight").getShape().get(0);
        }
        toPicture.initialize(manager, dataType, new Shape(b, width, config.size(), config.size()));
    }
}
