package art.atelier.nn;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.util.Rng;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

class SamplerDrawTest {

    private static SamplingSettings s(float t, int k, float p, float r) {
        return new SamplingSettings(t, k, p, r, 10, true);
    }

    private static Set<Integer> drawn(float[] logits, SamplingSettings settings, boolean[] seen) {
        Set<Integer> out = new HashSet<>();
        Rng rng = new Rng(1);
        for (int i = 0; i < 2000; i++) {
            out.add(GptSampler.draw(logits.clone(), seen, settings, rng, new float[logits.length]));
        }
        return out;
    }

    @Test
    void temperatureZeroIsGreedy() {
        float[] l = {0.1f, 2f, 1.9f, -1f};
        assertThat(drawn(l, s(0f, 0, 1f, 1f), new boolean[4])).containsExactly(1);
    }

    @Test
    void topKKeepsTheKMostLikelyAndBreaksTiesByLowestId() {
        float[] l = {1f, 3f, 3f, 2f, 0f};
        assertThat(drawn(l, s(1f, 2, 1f, 1f), new boolean[5])).containsExactlyInAnyOrder(1, 2);
        assertThat(drawn(new float[] {3f, 3f, 3f}, s(1f, 1, 1f, 1f), new boolean[3])).containsExactly(0);
        assertThat(drawn(l, s(1f, 0, 1f, 1f), new boolean[5])).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] l = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        assertThat(drawn(l, s(1f, 0, 0.5f, 1f), new boolean[4])).containsExactly(0);
        assertThat(drawn(l, s(1f, 0, 0.75f, 1f), new boolean[4])).containsExactlyInAnyOrder(0, 1);
        assertThat(drawn(l, s(1f, 0, 0.9f, 1f), new boolean[4])).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void repetitionPenaltyPushesSeenTokensDown() {
        float[] l = {2f, 1.5f};
        boolean[] seen = {true, false};
        assertThat(drawn(l, s(0f, 0, 1f, 2f), seen)).containsExactly(1); // 2/2 = 1 < 1.5
        float[] neg = {-1f, -1.5f};
        assertThat(drawn(neg, s(0f, 0, 1f, 2f), seen)).containsExactly(1); // -1*2 = -2 < -1.5
    }

    @Test
    void drawsFollowTheProbabilities() {
        float[] l = {(float) Math.log(0.2), (float) Math.log(0.8)};
        Rng rng = new Rng(9);
        int ones = 0;
        for (int i = 0; i < 20_000; i++) {
            ones += GptSampler.draw(l.clone(), new boolean[2], s(1f, 0, 1f, 1f), rng, new float[2]);
        }
        assertThat(ones / 20_000.0).isBetween(0.78, 0.82);
    }
}
