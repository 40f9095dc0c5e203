package art.atelier.image.vqvae;

import ai.djl.Model;
import ai.djl.training.ParameterStore;

import art.atelier.image.ImageModel;
import art.atelier.nn.Compute;
import art.atelier.train.Checkpoint;
import art.atelier.train.ModelCard;

import java.nio.file.Path;

/** A trained VQ-VAE loaded for sampling, reconstructing and morphing. Close it to free the weights. */
public final class VqVaeModel implements AutoCloseable {

    private final Model model;
    private final VqVae vq;
    private final ParameterStore store;
    private final ModelCard card;
    private final VqVaeTraining.Recipe recipe;
    private final String weightsHash;

    private VqVaeModel(Model model, VqVae vq, ModelCard card, VqVaeTraining.Recipe recipe, String weightsHash) {
        this.model = model;
        this.vq = vq;
        this.store = new ParameterStore(model.getNDManager(), false);
        this.card = card;
        this.recipe = recipe;
        this.weightsHash = weightsHash;
    }

    /**
     * @param dir the checkpoint directory
     * @param read its card, already read
     * @return the model
     * @throws art.atelier.AtelierException if it is not a VQ-VAE this version reads, or its weights do not fit
     */
    public static VqVaeModel load(Path dir, ModelCard read) {
        ModelCard card = Checkpoint.expect(read, ImageModel.MEDIUM, VqVaeConfig.FAMILY);
        VqVaeTraining.Recipe recipe = VqVaeTraining.recipe(card);
        Compute.init();
        Model model = Model.newInstance(card.name(), Compute.device(), "PyTorch");
        try {
            VqVae vq = new VqVae(recipe.model());
            model.setBlock(vq);
            vq.initialize(model.getNDManager());
            String hash = Checkpoint.loadWeights(dir, vq, model.getNDManager());
            return new VqVaeModel(model, vq, card, recipe, hash);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** @return a sampler over the model */
    public VqVaeSampler sampler() {
        return new VqVaeSampler(vq, store);
    }

    /** @return whether the prior has trained at all (else only reconstruction makes sense) */
    public boolean priorTrained() {
        return card.step() > recipe.autoencoderSteps();
    }

    /** @return the model's shape */
    public VqVaeConfig config() {
        return vq.config();
    }

    /** @return the DJL model that owns the weights */
    public Model model() {
        return model;
    }

    /** @return the card it was loaded from */
    public ModelCard card() {
        return card;
    }

    /** @return "sha256:" and the hash of the weights: the checkpoint's identity */
    public String weightsHash() {
        return weightsHash;
    }

    @Override
    public void close() {
        model.close();
    }
}
