/**
 * Generative adversarial networks for pictures: a generator draws pictures from random latent vectors,
 * a discriminator learns to tell them from the corpus's, and each improves against the other
 * (Goodfellow et al. 2014). Two families share the training step ({@link art.atelier.image.gan.GanTask})
 * and the sampler ({@link art.atelier.image.gan.GanSampler}).
 *
 * <h2>{@code dcgan}: the baseline</h2>
 * Radford, Metz and Chintala 2016, "Unsupervised Representation Learning with Deep Convolutional
 * GANs", as PyTorch's DCGAN example trains it: nz = 100, 64 feature maps at the first and last
 * layers, BatchNorm in both players (not on the generator's output or the discriminator's input),
 * ReLU in the generator and leaky ReLU (0.2) in the discriminator, weights drawn from N(0, 0.02)
 * and BatchNorm gains from N(1, 0.02), the non-saturating logistic loss, Adam at 2e-4 with β1 = 0.5,
 * batch 64. One change: DJL's PyTorch engine has no transposed convolution, so the generator
 * upsamples by nearest neighbour and then convolves (3×3), the "resize-convolution" of Odena,
 * Dumoulin and Olah 2016, which also avoids checkerboard artefacts.
 * ({@link art.atelier.image.gan.DcganGenerator}, {@link art.atelier.image.gan.DcganDiscriminator})
 *
 * <h2>{@code atelier}: the default, for collections of a few hundred to a few thousand pictures</h2>
 * DCGAN's networks, which learn quickly on two cores, with what the data-efficient GAN literature
 * adds where a corpus is small:
 * <ul>
 *   <li><b>Spectral normalisation</b> of every discriminator layer (Miyato et al. 2018), with
 *       DCGAN's BatchNorm kept after it, as FastGAN's discriminator has them (Liu et al. 2021): the
 *       discriminator cannot sharpen its judgement without bound, so the generator's gradients stay
 *       informative, and BatchNorm keeps its early learning as quick as DCGAN's. Spectral
 *       normalisation alone (SNGAN's "standard CNN", the recipe until 2026-12-06, which old
 *       checkpoints keep: {@link art.atelier.image.gan.GanConfig#discriminatorNorm}) learnt shapes far
 *       more slowly on two cores: on Twemoji at 64×64 after 8 minutes, KID 0.095 against 0.042 with
 *       BatchNorm kept (both with standing statistics, below).
 *   <li><b>Adaptive differentiable augmentation</b>: DiffAugment's policies
 *       ({@link art.atelier.image.gan.DiffAugment}; Zhao et al. 2020) — colour, translation, cutout —
 *       applied, differentiably, to the pictures the discriminator sees, real or generated, in both
 *       players' steps, each with a probability p that ADA's controller sets (Karras et al. 2020,
 *       "Training GANs with Limited Data"): p starts at 0 and rises (to at most 0.8, above which they
 *       found augmentations leak into the generator, as they did here) while the discriminator's
 *       overfitting signal E[sign D(real)] is above 0.6, falls while below. With a small corpus a
 *       discriminator otherwise memorises the training pictures and its verdicts stop teaching the
 *       generator anything; but augmenting before it memorises only makes its task harder and slows
 *       the start: on Twemoji at 32×32 after 25,600 pictures, always-on DiffAugment scored KID 0.149,
 *       the adaptive form 0.062 (p stayed near 0 that early).
 *   <li><b>A moving average of the generator's weights</b> (Karras et al. 2018; Yazıcı et al. 2019),
 *       with StyleGAN2-ADA's half-life of 10,000 pictures and its ramp-up over the first steps.
 *       Pictures are drawn from the average, which is smoother and better than the weights of any
 *       one step. Its BatchNorm statistics are BigGAN's <b>standing statistics</b> (Brock et al.
 *       2019): gathered anew, layer by layer, over 512 fixed latents whenever the average draws or
 *       is saved ({@link art.atelier.image.gan.Generator#standingStatistics}). Copying the trained
 *       generator's running statistics, as StyleGAN does for its few such arrays, gave the average
 *       statistics of other weights and blurred its pictures: KID 0.122 against 0.095 (spectral
 *       normalisation alone) and 0.099 against 0.042 (with BatchNorm) in the runs above.
 *   <li><b>Styles</b>: when the corpus has sub-folders, the generator takes the style's embedding
 *       beside the latent, and the discriminator is a projection discriminator (Miyato and Koyama
 *       2018), which scores "a real picture of this style".
 *   <li><b>Loss and optimisation</b>: the non-saturating logistic loss, Adam at 2e-4 with β = (0.5,
 *       0.99), batch 32 (more updates per picture seen than DCGAN's 64).
 *   <li><b>Not used</b>: the R1 gradient penalty (Mescheder et al. 2018) needs a second-order backward
 *       pass that DJL's gradient collector does not offer; spectral normalisation regularises the
 *       discriminator instead. ADA's own augmentations (blits, geometric
 *       and colour transforms of a 2-D pipeline) are replaced by DiffAugment's three, which cost
 *       little on a CPU. A ProGAN-style generator (pixel norm, two convolutions per
 *       stage) with a hinge loss and SAGAN's two time-scale rates was tried first: on Twemoji at
 *       32×32 it learnt markedly slower than DCGAN's generator in the first minutes, so it was
 *       dropped.
 * </ul>
 *
 * <h2>Sampling</h2>
 * One picture per forward pass (its bytes depend on its latent alone); the truncation trick on the
 * first feature map (StyleGAN §5.2); spherical interpolation for crossings and animations.
 */
package art.atelier.image.gan;
