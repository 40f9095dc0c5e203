package art.atelier.image.vqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import art.atelier.util.Rng;

/**
 * The vector quantizer (van den Oord et al. 2017): every encoder output z_e is replaced by its
 * nearest code e_k of a K × D codebook, with a straight-through gradient (the decoder's gradient
 * with respect to e is passed to z_e unchanged) and the commitment loss β‖z_e − sg(e)‖².
 *
 * <p>The codebook is not learnt by gradient but by exponential moving averages (their Appendix A.1):
 * per code, N_k ← γN_k + (1−γ)n_k and m_k ← γm_k + (1−γ)Σ z_e assigned to k, and e_k = m_k / N_k
 * (N Laplace-smoothed so an unused code is never divided by zero). A code whose average use per batch
 * N_k falls below a threshold is dead: it is moved onto a randomly chosen encoder output of the batch
 * (as in Jukebox, Dhariwal et al. 2020), so the whole book stays in use. The codebook may start as
 * k-means centroids of the first batch (Łańcucki et al. 2020).
 *
 * <p>Its three arrays are parameters that need no gradient, saved with the weights, so a resumed run
 * continues exactly.
 */
public final class VectorQuantizer extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float LAPLACE = 1e-5f;
    /** Lloyd iterations of the k-means initialisation. */
    static final int KMEANS_ITERATIONS = 10;

    private final VqVaeConfig config;
    private final Parameter codebook; // (K, D): e
    private final Parameter clusterSize; // (K): N, the moving average of each code's uses per batch
    private final Parameter embedSum; // (K, D): m, the moving average of the sum of its assigned outputs

    /**
     * What one pass made.
     *
     * @param straightThrough z_e + sg(e − z_e): the codes in value, z_e in gradient, (B, D, g, g)
     * @param commitment β‖z_e − sg(e)‖², averaged over values: a scalar
     * @param codes each position's code, (B, g, g) int64
     * @param flat the encoder outputs without gradient, (N, D), N = B·g·g
     */
    public record Quantized(NDArray straightThrough, NDArray commitment, NDArray codes, NDArray flat) {}

    /** @param config the model's shape */
    VectorQuantizer(VqVaeConfig config) {
        super(VERSION);
        this.config = config;
        int k = config.codes();
        int d = config.codeDim();
        codebook = addParameter(Parameter.builder().setName("codebook").setType(Parameter.Type.OTHER)
                .optShape(new Shape(k, d)).optRequiresGrad(false).optInitializer(new NormalInitializer(1f)).build());
        clusterSize = addParameter(Parameter.builder().setName("cluster_size").setType(Parameter.Type.OTHER)
                .optShape(new Shape(k)).optRequiresGrad(false)
                .optInitializer((m, shape, type) -> m.full(shape, config.deadCodeThreshold(), type)).build());
        embedSum = addParameter(Parameter.builder().setName("embed_sum").setType(Parameter.Type.OTHER)
                .optShape(new Shape(k, d)).optRequiresGrad(false).optInitializer(new NormalInitializer(1f)).build());
    }

    /** @return the codebook, (K, D) */
    public NDArray codebook() {
        return codebook.getArray();
    }

    /** @return each code's moving-average uses per batch, (K) */
    public NDArray clusterSize() {
        return clusterSize.getArray();
    }

    /**
     * Quantizes.
     *
     * @param ze encoder outputs, (B, D, g, g)
     * @return the codes and what training needs
     */
    public Quantized quantize(NDArray ze) {
        Shape s = ze.getShape();
        long b = s.get(0);
        long g = s.get(2);
        int d = config.codeDim();
        NDManager scope = ze.getManager();
        NDArray z = ze.transpose(0, 2, 3, 1).reshape(-1, d); // (N, D)
        NDArray flat = z.stopGradient();
        NDArray codes = nearest(flat, scope); // (N)
        NDArray e = scope(codebook.getArray().get(codes), scope); // (N, D)
        NDArray commitment = z.sub(e).square().mean().mul(config.commitment());
        NDArray st = z.add(e.sub(z).stopGradient()); // value e, gradient of z
        return new Quantized(st.reshape(b, g, g, d).transpose(0, 3, 1, 2), commitment, codes.reshape(b, g, g), flat);
    }

    /**
     * @param flat vectors, (N, D)
     * @param scope where the result lives
     * @return the index of each one's nearest code (squared Euclidean distance; ties to the lowest), (N) int64
     */
    NDArray nearest(NDArray flat, NDManager scope) {
        NDArray e = codebook.getArray();
        // ‖z − e‖² = ‖z‖² − 2 z·e + ‖e‖²; ‖z‖² is the same for every code and does not change the argmin
        NDArray cross = flat.matMul(scope(e.transpose(), scope)).mul(-2f); // (N, K)
        NDArray norms = scope(e.square(), scope).sum(new int[] {1}).reshape(1, -1); // (1, K)
        return cross.add(norms).argMin(1);
    }

    /**
     * @param codes code indices, any shape (…) int64
     * @return their vectors, (…, D)
     */
    public NDArray lookup(NDArray codes) {
        Shape s = codes.getShape();
        NDArray flat = scope(codebook.getArray().get(codes.reshape(-1)), codes.getManager());
        return flat.reshape(s.addAll(new Shape(config.codeDim())));
    }

    /**
     * What one codebook update did.
     *
     * @param restarted the dead codes moved onto encoder outputs
     * @param perplexity the batch's code perplexity (see {@link #perplexity(double[])})
     */
    public record Update(int restarted, double perplexity) {}

    /**
     * One moving-average step of the codebook from a training batch, then the dead-code restart.
     *
     * @param q the batch's quantization
     * @param rng picks the outputs dead codes move to
     * @return the codes restarted, and the batch's perplexity from the same counts
     */
    public Update update(Quantized q, Rng rng) {
        NDManager scope = q.flat().getManager();
        int k = config.codes();
        float decay = config.decay();
        NDArray onehot = q.codes().reshape(-1).oneHot(k); // (N, K)
        NDArray counts = onehot.sum(new int[] {0}); // (K)
        NDArray sums = onehot.transpose().matMul(q.flat()); // (K, D)
        NDArray n = counts.mul(1 - decay).add(scope(clusterSize.getArray().mul(decay), scope));
        NDArray m = sums.mul(1 - decay).add(scope(embedSum.getArray().mul(decay), scope));
        double perplexity = perplexity(toDoubles(counts.toFloatArray()));
        return new Update(restart(n, m, q.flat(), rng, scope), perplexity);
    }

    /**
     * Moves dead codes onto encoder outputs, then sets the codebook from the statistics.
     *
     * @return the codes restarted
     */
    private int restart(NDArray n, NDArray m, NDArray flat, Rng rng, NDManager scope) {
        int k = config.codes();
        float threshold = config.deadCodeThreshold();
        NDArray dead = n.lt(threshold); // (K)
        int restarted = (int) dead.sum().toType(DataType.INT64, false).getLong();
        if (restarted > 0) {
            long rows = flat.getShape().get(0);
            long[] pick = new long[k];
            for (int i = 0; i < k; i++) {
                pick[i] = rng.nextInt((int) rows);
            }
            NDArray samples = flat.get(scope.create(pick)); // (K, D)
            m = NDArrays.where(dead.reshape(k, 1).broadcast(m.getShape()), samples.mul(threshold), m);
            n = NDArrays.where(dead, scope.full(new Shape(k), threshold), n);
        }
        set(clusterSize, n, scope);
        set(embedSum, m, scope);
        NDArray total = n.sum();
        NDArray smoothed = n.add(LAPLACE).div(total.add(k * LAPLACE)).mul(total); // (K)
        set(codebook, m.div(smoothed.reshape(k, 1)), scope);
        return restarted;
    }

    /**
     * Sets the codebook to k-means centroids of a batch of encoder outputs: K outputs chosen at random
     * (with replacement when the batch holds fewer), then Lloyd's iterations; a centroid left with no
     * outputs stays where it is. Each code's count starts at its cluster's share of the batch, at
     * least the dead-code threshold.
     *
     * @param flat encoder outputs without gradient, (N, D)
     * @param rng picks the first centroids
     */
    public void initializeFrom(NDArray flat, Rng rng) {
        NDManager scope = flat.getManager();
        int k = config.codes();
        long rows = flat.getShape().get(0);
        long[] pick = new long[k];
        if (rows >= k) { // K distinct outputs: the first K of a partial Fisher–Yates shuffle
            int[] order = new int[(int) rows];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(order.length - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                pick[i] = order[i];
            }
        } else {
            for (int i = 0; i < k; i++) {
                pick[i] = rng.nextInt((int) rows);
            }
        }
        NDArray centroids = flat.get(scope.create(pick)); // (K, D)
        NDArray counts = scope.zeros(new Shape(k));
        int iterations = config.kmeansInit() ? KMEANS_ITERATIONS : 0;
        for (int it = 0; it < iterations; it++) {
            set(codebook, centroids, scope);
            NDArray onehot = nearest(flat, scope).oneHot(k); // (N, K)
            counts = onehot.sum(new int[] {0});
            NDArray sums = onehot.transpose().matMul(flat); // (K, D)
            NDArray used = counts.gt(0f).reshape(k, 1).broadcast(k, flat.getShape().get(1)); // where() does not broadcast
            centroids = NDArrays.where(used, sums.div(counts.maximum(1f).reshape(k, 1)), centroids);
        }
        NDArray n = iterations == 0 ? scope.full(new Shape(k), config.deadCodeThreshold())
                : counts.maximum(config.deadCodeThreshold());
        set(clusterSize, n, scope);
        set(embedSum, centroids.mul(n.reshape(k, 1)), scope);
        set(codebook, centroids, scope);
    }

    /**
     * @param codes (N) int64 code indices
     * @return exp of the entropy of the codes' frequencies: the number of equally used codes that
     *     would be as varied (K when all are used equally, 1 when one code is)
     */
    public double perplexity(NDArray codes) {
        return perplexity(toDoubles(codes.reshape(-1).oneHot(config.codes()).sum(new int[] {0}).toFloatArray()));
    }

    /**
     * @param counts how often each code was used
     * @return exp of the entropy of their frequencies (1 for no uses at all)
     */
    public static double perplexity(double[] counts) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double entropy = 0;
        for (double c : counts) {
            if (c > 0) {
                double p = c / total;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void set(Parameter p, NDArray value, NDManager scope) {
        NDArray copy = value.duplicate();
        copy.attach(scope);
        p.getArray().intern(copy);
    }

    private static NDArray scope(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(quantize(inputs.head()).straightThrough());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
