package art.atelier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A model's trainable parameters moved into one contiguous buffer, decaying ones first: every
 * parameter's array becomes a view of its stretch of the buffer (DJL's {@code intern} swaps the
 * native tensor under the same NDArray, so the block and its parameter store see nothing change).
 * The optimizer then updates the whole model in a handful of fused operations, and clipping takes one
 * norm, instead of a dozen small operations per parameter. Any DJL block can be adopted.
 *
 * <p>Adopt after the weights are initialised or loaded: DJL's loader replaces arrays and would undo
 * the views. The buffer is freed with this object; the parameters must not outlive it.
 */
public final class FlatParameters implements AutoCloseable {

    private final NDManager manager; // owns the buffer and the slices below
    private final NDArray values; // (N): every trainable parameter, decaying ones first
    private final List<String> names = new ArrayList<>(); // parameter ids, in buffer order
    private final List<Parameter> params = new ArrayList<>(); // in buffer order
    private final long[] offsets; // where each parameter starts in the buffer
    private final long decayEnd; // [0, decayEnd) decays, [decayEnd, N) does not

    private FlatParameters(NDManager manager, NDArray values, List<Pair<String, Parameter>> ordered, long[] offsets,
            long decayEnd) {
        this.manager = manager;
        this.values = values;
        for (Pair<String, Parameter> p : ordered) {
            names.add(p.getKey());
            params.add(p.getValue());
        }
        this.offsets = offsets;
        this.decayEnd = decayEnd;
    }

    /**
     * Moves a block's trainable parameters into one buffer.
     *
     * @param parent the manager to hang the buffer from (the model's)
     * @param parameters the block's parameters; those that need no gradient stay as they are
     * @param decays which parameters weight decay applies to
     * @return the flat parameters
     */
    public static FlatParameters adopt(NDManager parent, PairList<String, Parameter> parameters,
            Predicate<Parameter> decays) {
        List<Pair<String, Parameter>> ordered = new ArrayList<>();
        long decaying = 0;
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient() && decays.test(p.getValue())) {
                ordered.add(p);
                decaying += p.getValue().getArray().size();
            }
        }
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient() && !decays.test(p.getValue())) {
                ordered.add(p);
            }
        }
        NDManager manager = parent.newSubManager();
        NDList pieces = new NDList();
        long[] offsets = new long[ordered.size()];
        long at = 0;
        for (int i = 0; i < ordered.size(); i++) {
            NDArray a = ordered.get(i).getValue().getArray();
            offsets[i] = at;
            at += a.size();
            pieces.add(a.reshape(-1));
        }
        NDArray values = NDArrays.concat(pieces);
        values.attach(manager);
        pieces.close();
        for (int i = 0; i < ordered.size(); i++) {
            NDArray a = ordered.get(i).getValue().getArray();
            Shape shape = a.getShape();
            NDArray view = values.get(new NDIndex().addSliceDim(offsets[i], offsets[i] + a.size())).reshape(shape);
            a.intern(view);
            a.setRequiresGradient(true);
        }
        return new FlatParameters(manager, values, ordered, offsets, decaying);
    }

    /** @return the buffer, (N) */
    public NDArray values() {
        return values;
    }

    /** @return how many scalars in all */
    public long size() {
        return values.size();
    }

    /** @return the end of the decaying stretch [0, decayEnd) */
    public long decayEnd() {
        return decayEnd;
    }

    /** @return parameter ids in buffer order */
    public List<String> names() {
        return names;
    }

    /**
     * @param p a parameter
     * @return whether it is in the decaying stretch
     */
    public boolean decays(Parameter p) {
        int i = params.indexOf(p);
        return i >= 0 && offsets[i] < decayEnd;
    }

    /**
     * @param buffer an (N) buffer laid out like this one
     * @param from first index
     * @param to end index, exclusive
     * @return a view of that stretch
     */
    static NDArray slice(NDArray buffer, long from, long to) {
        return buffer.get(new NDIndex().addSliceDim(from, to));
    }

    /**
     * The current gradients as one (N) array in buffer order; zeros where a parameter got none.
     *
     * @param scope the step's manager
     * @return the gradient
     */
    public NDArray gradient(NDManager scope) {
        NDList pieces = new NDList(params.size());
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            if (g == null) {
                g = scope.zeros(p.getArray().getShape(), p.getArray().getDataType());
            } else {
                g.attach(scope);
            }
            pieces.add(g.reshape(-1));
        }
        NDArray flat = NDArrays.concat(pieces);
        flat.attach(scope);
        return flat;
    }

    /** Zeroes every parameter's gradient, for the next step to accumulate into. */
    public void zeroGradients() {
        for (Parameter p : params) {
            ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.getArray());
        }
    }

    /** @return the manager the buffer lives in */
    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
