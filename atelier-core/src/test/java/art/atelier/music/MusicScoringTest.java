package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import art.atelier.nn.GptConfig;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MusicScoringTest {

    /** A scale of {@code n} quarter-second notes on the piano. */
    private static Piece scale(int n) {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            notes.add(new Note(i * 250_000L, (i + 1) * 250_000L, 48 + i % 24, 60 + i % 40, 0, false));
        }
        return new Piece(notes);
    }

    @Test
    void aPieceWithinTheContextIsScoredInOnePassAndALongOneEventByEvent() {
        MusicVocabulary v = new MusicVocabulary(List.of());
        GptConfig config = new GptConfig(v.size(), 64, 1, 2, 16, 0f, false, 0);
        List<MusicModel.Instrumentation> none = List.of();
        try (MusicModel model = MusicModel.create("m", config, v, none, 5);
                NDManager m = model.model().getNDManager().newSubManager()) {
            Piece shortPiece = scale(8); // header 2 + about 3 events a note: within 64
            int[] tokens = v.encode(shortPiece, null);
            assertThat(tokens.length).isLessThan(64);
            MusicScoring s = MusicScoring.of(model, List.of(new MusicDataset.Entry(shortPiece, null)), m);
            // by hand: the whole piece in one pass, every event and END predicted
            long[] in = new long[tokens.length - 1];
            for (int i = 0; i < in.length; i++) {
                in[i] = tokens[i];
            }
            NDArray logits = model.gpt().logits(model.store(), m.create(in, new Shape(1, in.length)), null, false);
            float[] lp = logits.logSoftmax(2).toFloatArray();
            double nats = 0;
            for (int i = 1; i < in.length; i++) { // position 0 is START, 1 the program: targets from index 2
                nats -= lp[i * v.size() + tokens[i + 1]];
            }
            assertThat(s.events()).isEqualTo(tokens.length - 2);
            assertThat(s.nats()).isCloseTo(nats, offset(1e-3));
            assertThat(s.seconds()).isEqualTo(2.0);
            assertThat(s.natsPerSecond()).isCloseTo(nats / 2.0, offset(1e-3));

            Piece longPiece = scale(100); // several windows
            int[] longTokens = v.encode(longPiece, null);
            MusicScoring l = MusicScoring.of(model, List.of(new MusicDataset.Entry(longPiece, null)), m);
            assertThat(l.events()).isEqualTo(longTokens.length - 2); // each event once
            // an untrained model is about uniform: near ln(vocabulary) nats an event
            assertThat(l.natsPerEvent()).isCloseTo(Math.log(v.size()), offset(0.5));
        }
    }
}
