package art.atelier.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens decoded so far, so that each new token costs one
 * position's work instead of the whole context's. Owns its arrays; close it when the text is done.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager; // holds the cached arrays between decoding steps
    private final Layer[] layers;
    private int length; // positions cached so far

    /**
     * @param parent the manager to hang the cache's own manager from
     * @param config the model's shape
     */
    public KvCache(NDManager parent, GptConfig config) {
        this.manager = parent.newSubManager();
        this.layers = new Layer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer();
        }
    }

    /** @return positions cached so far */
    public int length() {
        return length;
    }

    Layer layer(int i) {
        return layers[i];
    }

    void advance(int tokens) {
        length += tokens;
    }

    /** Forgets everything, to start a new context. */
    public void clear() {
        for (Layer l : layers) {
            l.clear();
        }
        length = 0;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** One layer's keys and values, each (B·H, S, hs). */
    final class Layer {
        private NDArray keys; // (B·H, S, hs)
        private NDArray values; // (B·H, S, hs)

        NDArray appendKeys(NDArray k) {
            keys = append(keys, k);
            return keys;
        }

        NDArray appendValues(NDArray v) {
            values = append(values, v);
            return values;
        }

        private NDArray append(NDArray old, NDArray fresh) {
            NDArray joined = old == null ? fresh.duplicate() : old.concat(fresh, 1);
            joined.attach(manager);
            if (old != null) {
                old.close();
            }
            return joined;
        }

        void clear() {
            if (keys != null) {
                keys.close();
                values.close();
            }
            keys = null;
            values = null;
        }
    }
}
