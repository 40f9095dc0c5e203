package art.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import art.atelier.AtelierException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * AdamW (Loshchilov and Hutter 2019) with two parameter groups: weights that decay and parameters
 * that do not. DJL's {@code Optimizer.adamW()} applies one decay to every parameter; here the
 * decision is made per parameter ({@link #NANO_GPT_DECAY}: every tensor of two or more dimensions —
 * matmul weights and embeddings — decays; biases and LayerNorm gains do not).
 *
 * <p>The moments live in this optimizer's own manager and are saved in the checkpoint, so a resumed
 * run continues exactly. Each update is the engine's fused Adam kernel, one native call per
 * parameter, which also zeroes the gradient for the next step.
 */
public final class AdamW implements AutoCloseable {

    /** nanoGPT's grouping: decay every parameter with two or more dimensions. */
    public static final Predicate<Parameter> NANO_GPT_DECAY = p -> p.getArray().getShape().dimension() >= 2;

    private static final String MAGIC = "atelier-adamw";
    private static final int FORMAT = 1;

    private final NDManager manager; // owns the moments
    private final List<String> names = new ArrayList<>(); // parameter ids in block order
    private final List<Parameter> params = new ArrayList<>(); // trainable parameters
    private final boolean[] decay; // per parameter: in the decaying group
    private final NDArray[] mean; // per parameter: first moment, shape of the parameter
    private final NDArray[] variance; // per parameter: second moment, shape of the parameter
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private long updates; // updates applied so far (Adam's t)

    /**
     * @param parent manager to hang the moments from
     * @param parameters the block's parameters; those that need no gradient are left out
     * @param settings betas, epsilon and weight decay
     * @param decays which parameters are in the decaying group
     */
    public AdamW(NDManager parent, PairList<String, Parameter> parameters, TrainSettings settings,
            Predicate<Parameter> decays) {
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient()) {
                names.add(p.getKey());
                params.add(p.getValue());
            }
        }
        int n = params.size();
        decay = new boolean[n];
        mean = new NDArray[n];
        variance = new NDArray[n];
        for (int i = 0; i < n; i++) {
            NDArray w = params.get(i).getArray();
            decay[i] = decays.test(params.get(i));
            mean[i] = manager.zeros(w.getShape(), w.getDataType());
            variance[i] = manager.zeros(w.getShape(), w.getDataType());
        }
        beta1 = settings.beta1();
        beta2 = settings.beta2();
        epsilon = settings.epsilon();
        weightDecay = settings.weightDecay();
    }

    /** @return updates applied so far */
    public long updates() {
        return updates;
    }

    /** @return the trainable parameters, in order */
    public List<Parameter> parameters() {
        return params;
    }

    /**
     * @param p a parameter of this optimizer
     * @return whether it is in the decaying group
     */
    public boolean decays(Parameter p) {
        return decay[params.indexOf(p)];
    }

    /**
     * The current gradients, attached to {@code scope} so that their handles go with the step.
     *
     * @param scope the step's manager
     * @return one gradient per parameter (null where the step produced none)
     */
    public List<NDArray> gradients(NDManager scope) {
        List<NDArray> grads = new ArrayList<>(params.size());
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            if (g != null) {
                g.attach(scope);
            }
            grads.add(g);
        }
        return grads;
    }

    /**
     * Applies one update and zeroes the gradients.
     *
     * @param gradients from {@link #gradients}, possibly clipped
     * @param learningRate this step's learning rate
     */
    public void update(List<NDArray> gradients, float learningRate) {
        updates++;
        double c1 = 1.0 - Math.pow(beta1, updates);
        double c2 = 1.0 - Math.pow(beta2, updates);
        float corrected = (float) (learningRate * Math.sqrt(c2) / c1);
        for (int i = 0; i < params.size(); i++) {
            NDArray g = gradients.get(i);
            if (g == null) {
                continue;
            }
            NDArray w = params.get(i).getArray();
            w.getNDArrayInternal().adamUpdate(
                    new NDList(w, g, mean[i], variance[i]),
                    new NDList(w),
                    learningRate,
                    corrected,
                    decay[i] ? weightDecay : 0f,
                    1f,
                    -1f,
                    beta1,
                    beta2,
                    epsilon,
                    false,
                    true);
        }
    }

    /**
     * @param out where to write the moments and the update count
     * @throws IOException on failure
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(updates);
        out.writeInt(params.size());
        for (int i = 0; i < params.size(); i++) {
            out.writeUTF(names.get(i));
            byte[] m = mean[i].encode();
            byte[] v = variance[i].encode();
            out.writeInt(m.length);
            out.write(m);
            out.writeInt(v.length);
            out.write(v);
        }
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
        if (n != params.size()) {
            throw new AtelierException(source + " holds state for " + n + " parameters; the model has " + params.size());
        }
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            if (!name.equals(names.get(i))) {
                throw new AtelierException(source + " holds state for '" + name + "' where the model has '"
                        + names.get(i) + "'");
            }
            NDArray m = manager.decode(readBytes(in));
            NDArray v = manager.decode(readBytes(in));
            if (!m.getShape().equals(mean[i].getShape()) || !v.getShape().equals(variance[i].getShape())) {
                throw new AtelierException(source + ": state of '" + name + "' has shape " + m.getShape()
                        + ", the parameter " + mean[i].getShape());
            }
            mean[i].close();
            variance[i].close();
            mean[i] = m;
            variance[i] = v;
        }
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
        manager.close();
    }
}
