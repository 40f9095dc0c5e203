package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A convolution or a fully connected layer, optionally spectrally normalised (Miyato et al. 2018):
 * the weight is divided by an estimate of its largest singular value, so the layer is at most
 * 1-Lipschitz and the discriminator cannot sharpen its decision without bound. The estimate comes
 * from one step of power iteration per training forward pass, carried between steps in the vector
 * {@code u} (saved with the weights, so a resumed run continues exactly).
 */
public final class Layer extends AbstractBlock {

    private static final byte VERSION = 1;

    /**
     * Convolutions have a multiple of this many output channels when they run. oneDNN (libtorch's CPU
     * convolutions) stores channels in blocks of 16 (8 with AVX2); a layer with fewer output channels
     * (a generator's 3 colour channels, a discriminator's 1 score) gets a padded block whose padding,
     * in the backward pass, is not reliably zero: on some machines it holds left-over memory, NaN
     * included, which the backward convolutions then read (0 · NaN = NaN) and training diverges at
     * random within a few steps. Such a layer is computed with zero filters added up to a whole
     * block, and only its real channels kept: the padding is then real zeros, and the cost the same
     * (oneDNN computed the padded block anyway).
     */
    static final int CHANNEL_BLOCK = 16;

    private final int kernel; // k for a k×k convolution, 0 for a fully connected layer
    private final int stride;
    private final int padding;
    private final boolean spectral;
    private final Parameter weight; // (O, I, k, k) or (O, I)
    private final Parameter bias; // (O)
    private final Parameter u; // (O): the left singular vector estimate, spectral layers only

    private Layer(int in, int out, int kernel, int stride, int padding, boolean spectral, Initializer init) {
        super(VERSION);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.spectral = spectral;
        Shape w = kernel == 0 ? new Shape(out, in) : new Shape(out, in, kernel, kernel);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).optShape(w)
                .optInitializer(init).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optShape(new Shape(out))
                .build());
        u = spectral ? addParameter(Parameter.builder().setName("u").setType(Parameter.Type.OTHER)
                .optShape(new Shape(out)).optRequiresGrad(false).optInitializer(new NormalInitializer(1f)).build())
                : null;
    }

    /**
     * @param in input channels
     * @param out output channels
     * @param kernel kernel size
     * @param stride stride
     * @param padding zero padding on each side
     * @param spectral whether to normalise spectrally
     * @param init the weights' initialiser
     * @return the convolution
     */
    public static Layer conv(int in, int out, int kernel, int stride, int padding, boolean spectral, Initializer init) {
        return new Layer(in, out, kernel, stride, padding, spectral, init);
    }

    /**
     * @param in input features
     * @param out output features
     * @param spectral whether to normalise spectrally
     * @param init the weights' initialiser
     * @return the fully connected layer
     */
    public static Layer dense(int in, int out, boolean spectral, Initializer init) {
        return new Layer(in, out, 0, 1, 0, spectral, init);
    }

    /**
     * @param ps the parameter store
     * @param x (B, I, H, W) for a convolution, (B, I) for a dense layer
     * @param training whether this is a training pass (spectral layers then advance their estimate)
     * @return the layer's output
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        if (spectral) {
            w = normalise(w, ps.getValue(u, x.getDevice(), training), training, x.getManager());
        }
        if (kernel == 0) {
            return x.getNDArrayInternal().linear(x, w, b).head();
        }
        long out = w.getShape().get(0);
        long extra = (CHANNEL_BLOCK - out % CHANNEL_BLOCK) % CHANNEL_BLOCK;
        if (extra == 0) {
            return convolve(x, w, b);
        }
        // Zero filters up to a whole block, then only the real channels kept (see CHANNEL_BLOCK).
        NDManager scope = x.getManager();
        Shape ws = w.getShape();
        NDArray wide = scoped(NDArrays.concat(new NDList(w,
                scoped(scope.zeros(new Shape(extra, ws.get(1), ws.get(2), ws.get(3)), w.getDataType()), scope)), 0), scope);
        NDArray wideBias = scoped(NDArrays.concat(new NDList(b, scoped(scope.zeros(new Shape(extra), b.getDataType()),
                scope)), 0), scope);
        return convolve(x, wide, wideBias).get(new NDIndex().addAllDim().addSliceDim(0, out));
    }

    private NDArray convolve(NDArray x, NDArray w, NDArray b) {
        return x.getNDArrayInternal().convolution(x, w, b, new Shape(stride, stride), new Shape(padding, padding),
                new Shape(1, 1), 1).head();
    }

    /**
     * One power-iteration step on the detached weight, then W / σ with σ = uᵀ W v differentiable in
     * W (the gradient of the normalisation is part of the method).
     */
    private static NDArray normalise(NDArray w, NDArray uVector, boolean training, NDManager scope) {
        // Results of operations belong to their first operand's manager: here the weight's, which
        // lives as long as the model. Every intermediate is moved to the step's manager.
        NDArray matrix = scoped(w.reshape(w.getShape().get(0), -1), scope); // (O, K)
        NDArray fixed = scoped(matrix.stopGradient(), scope);
        NDArray v = unit(scoped(fixed.transpose().matMul(uVector), scope), scope); // (K)
        NDArray next = unit(scoped(fixed.matMul(v), scope), scope); // (O)
        NDArray sigma = scoped(next.dot(scoped(matrix.matMul(v), scope)), scope); // ()
        if (training) {
            uVector.intern(scoped(next.duplicate(), scope));
        }
        return scoped(w.div(sigma), scope);
    }

    private static NDArray unit(NDArray x, NDManager scope) {
        return scoped(x.div(scoped(scoped(x.norm(), scope).add(1e-12f), scope)), scope);
    }

    private static NDArray scoped(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long out = weight.getShape() != null ? weight.getShape().get(0) : 0;
        if (kernel == 0) {
            return new Shape[] {new Shape(in.get(0), out)};
        }
        long h = (in.get(2) + 2L * padding - kernel) / stride + 1;
        long wd = (in.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(in.get(0), out, h, wd)};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // shapes are fixed at construction
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
