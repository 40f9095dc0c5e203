/**
 * Novelty: how far a work stands from what its model learned from, so that Atelier never hands an
 * artist a near-copy. Pure Java, no DJL; every score is deterministic, and every index can be saved
 * and loaded to give identical scores.
 *
 * <h2>Design</h2>
 * Each medium asks the same two questions — what is the longest piece of a training work this work
 * contains, and how much of this work is made of such pieces — and answers with a headline
 * {@code novelty} in [0, 1]: 1 for a work that shares nothing substantial, 0 for a copy.
 * <ul>
 *   <li><b>Sequences</b> ({@link art.atelier.novelty.SequenceIndex}): text and music are sequences of
 *       symbols, compared exactly. A suffix array over the training documents, built by induced sorting
 *       (SA-IS: Nong, Zhang and Chan 2009, "Linear Suffix Array Construction by Almost Pure
 *       Induced-Sorting") with its LCP array (Kasai, Lee, Arimura, Arikawa and Park 2001), gives the
 *       <i>matching statistics</i> of a work — for each position, the longest run starting there that
 *       occurs in one training document (Chang and Lawler 1994 named them) — by binary search in the
 *       manner of Manber and Myers 1993, "Suffix Arrays: A New Method for On-Line String Searches", each
 *       search confined by the previous position's match. From them: the longest shared run, the
 *       coverage (the share of the work inside shared runs of at least a minimum length) and n-gram
 *       novelty (the share of the work's n-grams found nowhere in the corpus, as McCoy et al. 2023,
 *       "How Much Do Language Models Copy From Their Training Data? Evaluating Linguistic Novelty in
 *       Text Generation Using RAVEN", measure it).
 *   <li><b>Text</b> ({@link art.atelier.novelty.TextNovelty}): code points (passages of 32 or more
 *       count towards coverage) and words (n-gram novelty at 3, 5, 8). Novelty = 1 − coverage.
 *   <li><b>Music</b> ({@link art.atelier.novelty.MusicNovelty}): each instrument's skyline melody
 *       (Uitdenbogerd and Zobel 1999) as interval-and-duration symbols, so a transposed copy matches
 *       exactly; runs of 8 or more notes count. Novelty = 1 − coverage.
 *   <li><b>Pictures</b> ({@link art.atelier.novelty.PictureNovelty}): pictures are never equal symbol
 *       for symbol, so they are compared by distance. {@link art.atelier.novelty.PictureFeatures}: 8×8
 *       colour averages, the work seen up to a small move or rescaling; the distance to the nearest
 *       training picture is judged against the typical distance between training pictures (novelty =
 *       min(1, nearest / typical)). {@link art.atelier.novelty.PerceptualHash}: the DCT hash of Zauner
 *       2010 ("Implementation and Benchmarking of Perceptual Image Hash Functions", as pHash computes
 *       it) flags near duplicates at 8 bits or fewer, which score 0.
 *   <li><b>A model as a whole</b> ({@link art.atelier.novelty.DataCopying}): the three-sample test of
 *       Meehan, Chaudhuri and Dasgupta 2020, "A Non-Parametric Test to Detect Data-Copying in
 *       Generative Models" (AISTATS), over feature vectors of training, held-out and generated works:
 *       C_T ≪ 0 reads as data-copying, ≈ 0 as fine, ≫ 0 as under-fitting. Mann and Whitney 1947 for the
 *       rank statistic; k-means++ (Arthur and Vassilvitskii 2007) for the cells.
 *   <li><b>Between works</b> ({@link art.atelier.novelty.SimHash}): Charikar's 2002 random-hyperplane
 *       fingerprint over shingles (Manku, Jain and Das Sarma 2007 for near-duplicate detection with it),
 *       one long per work for the catalog; near-identical at ≤ 12 bits for text, ≤ 16 for music.
 * </ul>
 *
 * <h2>Saved indexes</h2>
 * One file per index, written atomically ({@link art.atelier.util.AtomicFiles}): the magic "ATNV",
 * the kind ("text", "music", "picture"), the kind's format version, the body, and a CRC-32 of all of
 * it. Reading refuses, naming the file, anything that is not a novelty index, an index of another kind
 * or format version, and a truncated or corrupted file. A sequence index saves its documents, not its
 * suffix array, which is rebuilt on loading (in well under a second for a megabyte of text), so a
 * saved index cannot hold a suffix array that disagrees with its corpus.
 *
 * <p>Indexes are immutable once built or loaded, and may be shared between threads.
 *
 * <h2>Costs</h2>
 * Measured on the development machine (two shared cores): a sequence index over 2,000,000 symbols
 * builds in about 0.5 s; a text index over 1 MB of text builds in 0.3–1 s and scores a 2,000-character
 * work in about 2 ms; a picture index over 2,000 pictures builds in 1.6 s and scores a work in 2 ms.
 */
package art.atelier.novelty;
