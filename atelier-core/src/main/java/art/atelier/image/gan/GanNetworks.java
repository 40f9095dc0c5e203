package art.atelier.image.gan;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The two players of a family, held together so that their training weights are saved and loaded
 * as one file.
 */
public final class GanNetworks extends AbstractBlock {

    private static final byte VERSION = 1;

    private final GanConfig config;
    private final Generator generator;
    private final Discriminator discriminator;

    /** @param config the model's shape */
    public GanNetworks(GanConfig config) {
        super(VERSION);
        this.config = config;
        this.generator = addChildBlock("generator", newGenerator(config));
        this.discriminator = addChildBlock("discriminator", new DcganDiscriminator(config));
    }

    /**
     * @param config a model's shape
     * @return a new, uninitialised generator of its family
     */
    public static Generator newGenerator(GanConfig config) {
        return new DcganGenerator(config);
    }

    /**
     * Initialises a generator's parameters.
     *
     * @param generator the generator
     * @param manager the model's manager
     */
    public static void initialize(Generator generator, NDManager manager) {
        GanConfig c = generator.config();
        Shape[] inputs = c.styles() == 0 ? new Shape[] {new Shape(1, c.latent())}
                : new Shape[] {new Shape(1, c.latent()), new Shape(1, c.styles())};
        generator.initialize(manager, DataType.FLOAT32, inputs);
    }

    /** @return the model's shape */
    public GanConfig config() {
        return config;
    }

    /** @return the generator */
    public Generator generator() {
        return generator;
    }

    /** @return the discriminator */
    public Discriminator discriminator() {
        return discriminator;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return generator.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return generator.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        initialize(generator, manager);
        Shape picture = new Shape(1, config.channels(), config.size(), config.size());
        Shape[] d = config.styles() == 0 ? new Shape[] {picture} : new Shape[] {picture, new Shape(1)};
        discriminator.initialize(manager, dataType, d);
    }
}
