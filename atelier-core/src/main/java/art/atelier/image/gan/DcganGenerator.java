package art.atelier.image.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
 * DCGAN's generator (Radford et al. 2016, fig. 1), the generator of both families: z (with, in a
 * styled model, the style's embedding appended) projected to a 4×4 map of ngf·8 channels,
 * then a doubling of resolution and a halving of channels per stage, BatchNorm and ReLU after every
 * layer but the last, tanh at the output. The paper's transposed convolutions are replaced by
 * nearest-neighbour upsampling followed by a 3×3 convolution (Odena et al. 2016), which the PyTorch
 * engine of DJL supports and which avoids checkerboard artefacts; the projection of z is the fully
 * connected layer a 4×4 transposed convolution of a 1×1 input amounts to.
 */
public final class DcganGenerator extends Generator {

    private static final byte VERSION = 1;

    /** Length of a style's embedding, appended to z in a styled model. */
    static final int STYLE_EMBEDDING = 64;

    private final int headWidth; // F: channels of the 4×4 map
    private final Parameter styleEmbedding; // (S, 64), or null for an unconditioned model
    private final Layer project; // (16·F, latent [+ 64])
    private final BatchNorm projectNorm; // over F
    private final List<Layer> convs = new ArrayList<>(); // one 3×3 per stage, the last to the picture's channels
    private final List<BatchNorm> norms = new ArrayList<>(); // after every conv but the last

    /** @param config the model's shape */
    public DcganGenerator(GanConfig config) {
        super(VERSION, config);
        Initializer init = new NormalInitializer(0.02f);
        headWidth = config.width(config.generatorWidth(), 4);
        styleEmbedding = config.styles() == 0 ? null
                : addParameter(Parameter.builder().setName("style").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(config.styles(), STYLE_EMBEDDING)).build());
        project = addChildBlock("project", Layer.dense(inputs(config), 16 * headWidth, false, init));
        projectNorm = addChildBlock("project_norm", BatchNorm.builder().build());
        int in = headWidth;
        for (int s = 1; s <= config.stages(); s++) {
            int resolution = 4 << s;
            boolean last = s == config.stages();
            int out = last ? config.channels() : config.width(config.generatorWidth(), resolution);
            convs.add(addChildBlock("conv" + s, Layer.conv(in, out, 3, 1, 1, false, init)));
            if (!last) {
                norms.add(addChildBlock("norm" + s, BatchNorm.builder().build()));
            }
            in = out;
        }
        setInitializer(init, Parameter.Type.WEIGHT);
        setInitializer((m, shape, type) -> m.randomNormal(1f, 0.02f, shape, type), Parameter.Type.GAMMA);
        if (styleEmbedding != null) {
            styleEmbedding.setInitializer(new NormalInitializer(1f));
        }
    }

    private static int inputs(GanConfig config) {
        return config.latent() + (config.styles() == 0 ? 0 : STYLE_EMBEDDING);
    }

    @Override
    public NDArray head(ParameterStore ps, NDArray z, NDArray styles, boolean training) {
        return projectNorm.forward(ps, new NDList(headInput(ps, z, styles, training)), training).head()
                .getNDArrayInternal().relu();
    }

    /** The first feature map before its normalisation, (B, F, 4, 4). */
    private NDArray headInput(ParameterStore ps, NDArray z, NDArray styles, boolean training) {
        NDArray input = z;
        if (styleEmbedding != null) {
            if (styles == null) {
                throw new IllegalArgumentException("this generator is conditioned on style: give style weights");
            }
            // a blend of styles (a crossing) is the same blend of their embeddings
            NDArray e = styles.matMul(ps.getValue(styleEmbedding, z.getDevice(), training)); // (B, 64)
            input = NDArrays.concat(new NDList(z, e), 1);
        }
        return project.apply(ps, input, training).reshape(z.getShape().get(0), headWidth, 4, 4);
    }

    @Override
    public void standingStatistics(ParameterStore ps, List<NDArray[]> inputs) {
        List<BatchNorm> all = new ArrayList<>();
        all.add(projectNorm);
        all.addAll(norms);
        for (int l = 0; l < all.size(); l++) {
            double[] sum = null;
            double[] squares = null;
            long n = 0;
            for (NDArray[] zs : inputs) {
                try (NDManager scope = zs[0].getManager().newSubManager()) {
                    // copies in this scope, so that every intermediate (owned by its first operand's manager) is too
                    NDArray z = zs[0].duplicate();
                    z.attach(scope);
                    NDArray styles = zs[1] == null ? null : zs[1].duplicate();
                    if (styles != null) {
                        styles.attach(scope);
                    }
                    NDArray x = normInput(ps, z, styles, l);
                    long c = x.getShape().get(1);
                    // (B, C, H, W) -> (C, B·H·W)
                    NDArray perChannel = x.swapAxes(0, 1).reshape(c, -1);
                    float[] mean = perChannel.mean(new int[] {1}).toFloatArray();
                    float[] meanSquare = perChannel.square().mean(new int[] {1}).toFloatArray();
                    long count = perChannel.getShape().get(1);
                    if (sum == null) {
                        sum = new double[(int) c];
                        squares = new double[(int) c];
                    }
                    for (int i = 0; i < c; i++) {
                        sum[i] += (double) mean[i] * count;
                        squares[i] += (double) meanSquare[i] * count;
                    }
                    n += count;
                }
            }
            float[] mean = new float[sum.length];
            float[] variance = new float[sum.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) (sum[i] / n);
                variance[i] = (float) Math.max(0, squares[i] / n - (sum[i] / n) * (sum[i] / n));
            }
            overwrite(all.get(l).getParameters().get("runningMean").getArray(), mean);
            overwrite(all.get(l).getParameters().get("runningVar").getArray(), variance);
        }
    }

    /** The input of BatchNorm {@code l} (0: the head's), every earlier one normalising with its running statistics. */
    private NDArray normInput(ParameterStore ps, NDArray z, NDArray styles, int l) {
        NDArray pre = headInput(ps, z, styles, false);
        if (l == 0) {
            return pre;
        }
        NDArray x = projectNorm.forward(ps, new NDList(pre), false).head().getNDArrayInternal().relu();
        for (int i = 0; ; i++) {
            x = convs.get(i).apply(ps, Ops.upsample2x(x), false);
            if (i + 1 == l) {
                return x;
            }
            x = norms.get(i).forward(ps, new NDList(x), false).head().getNDArrayInternal().relu();
        }
    }

    private static void overwrite(NDArray target, float[] values) {
        try (NDManager scope = target.getManager().newSubManager()) {
            NDArray v = scope.create(values, target.getShape());
            target.muli(0f).addi(v);
        }
    }

    @Override
    public NDArray body(ParameterStore ps, NDArray x, boolean training) {
        for (int i = 0; i < convs.size(); i++) {
            x = convs.get(i).apply(ps, Ops.upsample2x(x), training);
            if (i < norms.size()) {
                x = norms.get(i).forward(ps, new NDList(x), training).head().getNDArrayInternal().relu();
            }
        }
        return x.tanh();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        project.initialize(manager, dataType, new Shape(b, inputs(config)));
        projectNorm.initialize(manager, dataType, new Shape(b, headWidth, 4, 4));
        int in = headWidth;
        for (int i = 0; i < convs.size(); i++) {
            int resolution = 8 << i;
            convs.get(i).initialize(manager, dataType, new Shape(b, in, resolution, resolution));
            int out = (int) convs.get(i).getParameters().get("weight").getShape().get(0);
            if (i < norms.size()) {
                norms.get(i).initialize(manager, dataType, new Shape(b, out, resolution, resolution));
            }
            in = out;
        }
    }
}
