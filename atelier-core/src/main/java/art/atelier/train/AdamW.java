package art.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

import art.atelier.AtelierException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov and Hutter 2019) with two parameter groups: weights that decay and parameters
 * that do not. DJL's {@code Optimizer.adamW()} applies one decay to every parameter; here the
 * decision is made per parameter ({@link #NANO_GPT_DECAY}: every tensor of two or more dimensions —
 * matmul weights and embeddings — decays; biases and LayerNorm gains do not).
 *
 * <p>The parameters live in one {@link FlatParameters} buffer, decaying ones first, so an update is
 * two calls of the engine's fused Adam kernel (one per group) over the whole model. The moments are
 * buffers of the same layout, saved in the checkpoint so that a resumed run continues exactly.
 */
public final class AdamW implements AutoCloseable {

    /** nanoGPT's grouping: decay every parameter with two or more dimensions. */
    public static final Predicate<Parameter> NANO_GPT_DECAY = p -> p.getArray().getShape().dimension() >= 2;

    private static final String MAGIC = "atelier-adamw";
    private static final int FORMAT = 2;

    private final FlatParameters params;
    private final NDManager manager; // owns the moments and the views below
    private NDArray mean; // (N): first moment
    private NDArray variance; // (N): second moment
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private long updates; // updates applied so far (Adam's t)

    /**
     * Moves the parameters into one buffer and makes the optimizer over it.
     *
     * @param parent manager to hang the buffers from (the model's)
     * @param parameters the block's parameters; those that need no gradient are left out
     * @param settings betas, epsilon and weight decay
     * @param decays which parameters are in the decaying group
     */
    public AdamW(NDManager parent, PairList<String, Parameter> parameters, TrainSettings settings,
            Predicate<Parameter> decays) {
        this.params = FlatParameters.adopt(parent, parameters, decays);
        this.manager = params.manager().newSubManager();
        this.mean = manager.zeros(params.values().getShape());
        this.variance = manager.zeros(params.values().getShape());
        beta1 = settings.beta1();
        beta2 = settings.beta2();
        epsilon = settings.epsilon();
        weightDecay = settings.weightDecay();
    }

    /** @return updates applied so far */
    public long updates() {
        return updates;
    }

    /**
     * @param p a parameter of this optimizer
     * @return whether it is in the decaying group
     */
    public boolean decays(Parameter p) {
        return params.decays(p);
    }

    /**
     * The current gradient of every parameter, as one (N) array in the buffer's order.
     *
     * @param scope the step's manager
     * @return the gradient
     */
    public NDArray gradient(NDManager scope) {
        return params.gradient(scope);
    }

    /**
     * Applies one update and zeroes the parameters' gradients.
     *
     * @param gradient from {@link #gradient}, possibly clipped
     * @param learningRate this step's learning rate
     */
    public void update(NDArray gradient, float learningRate) {
        updates++;
        double c1 = 1.0 - Math.pow(beta1, updates);
        double c2 = 1.0 - Math.pow(beta2, updates);
        float corrected = (float) (learningRate * Math.sqrt(c2) / c1);
        long n = params.size();
        long d = params.decayEnd();
        try (NDManager scope = manager.newSubManager()) {
            if (d > 0) {
                group(scope, gradient, 0, d, learningRate, corrected, weightDecay);
            }
            if (d < n) {
                group(scope, gradient, d, n, learningRate, corrected, 0f);
            }
        }
        params.zeroGradients();
    }

    private void group(NDManager scope, NDArray gradient, long from, long to, float lr, float corrected, float wd) {
        NDArray w = FlatParameters.slice(params.values(), from, to);
        NDArray g = FlatParameters.slice(gradient, from, to);
        NDArray m = FlatParameters.slice(mean, from, to);
        NDArray v = FlatParameters.slice(variance, from, to);
        NDList views = new NDList(w, g, m, v);
        views.attach(scope);
        w.getNDArrayInternal().adamUpdate(views, new NDList(w), lr, corrected, wd, 1f, -1f, beta1, beta2, epsilon,
                false, true);
    }

    /** Zeroes the parameters' gradients without an update (e.g. a discriminator's, after the generator's step). */
    public void zeroGradients() {
        params.zeroGradients();
    }

    /** @return the parameters this optimizer updates, in one buffer */
    public FlatParameters parameters() {
        return params;
    }

    /**
     * @param out where to write the moments and the update count
     * @throws IOException on failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(updates);
        List<String> names = params.names();
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
        }
        byte[] m = mean.encode();
        byte[] v = variance.encode();
        out.writeInt(m.length);
        out.write(m);
        out.writeInt(v.length);
        out.write(v);
    }

    /**
     * Restores moments and update count saved by {@link #save} for the same parameters.
     *
     * @param in the saved state
     * @param source the file, named in errors
     * @throws IOException on failure
     */
    public void load(DataInputStream in, String source) throws IOException {
        if (!MAGIC.equals(in.readUTF())) {
            throw new AtelierException(source + " is not an AdamW state");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new AtelierException(source + " has optimizer format " + format + "; this version reads " + FORMAT);
        }
        long t = in.readLong();
        int n = in.readInt();
        List<String> names = params.names();
        if (n != names.size()) {
            throw new AtelierException(source + " holds state for " + n + " parameters; the model has " + names.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!name.equals(names.get(i))) {
                throw new AtelierException(source + " holds state for '" + name + "' where the model has '"
                        + names.get(i) + "'");
            }
        }
        NDArray m = manager.decode(readBytes(in));
        NDArray v = manager.decode(readBytes(in));
        if (!m.getShape().equals(mean.getShape()) || !v.getShape().equals(variance.getShape())) {
            m.close();
            v.close();
            throw new AtelierException(source + " holds moments of shape " + m.getShape() + "; the model has "
                    + mean.getShape());
        }
        mean.close();
        variance.close();
        mean = m;
        variance = v;
        updates = t;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 30)) {
            throw new IOException("corrupt optimizer state: block of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    @Override
    public void close() {
        params.close();
    }
}
