package art.atelier.music;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.music.MusicVocabulary.Decoder;
import art.atelier.music.MusicVocabulary.Header;
import art.atelier.music.MusicVocabulary.Kind;
import art.atelier.util.Rng;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MusicVocabularyTest {

    private static final MusicVocabulary PLAIN = new MusicVocabulary(List.of());
    private static final MusicVocabulary STYLED = new MusicVocabulary(List.of("bach", "debussy", "ragtime"));
    private static final long MS = 1_000; // microseconds per millisecond

    // ------------------------------------------------------------ layout

    @Test
    void layoutWithoutStyles() {
        assertThat(PLAIN.size()).isEqualTo(4615);
        assertThat(PLAIN.startToken()).isZero();
        assertThat(PLAIN.endToken()).isEqualTo(1);
        assertThat(PLAIN.programToken(0)).isEqualTo(2);
        assertThat(PLAIN.programToken(127)).isEqualTo(129);
        assertThat(PLAIN.drumsToken()).isEqualTo(130);
        assertThat(PLAIN.noteOnToken(Instrument.PIANO, 0)).isEqualTo(131);
        assertThat(PLAIN.noteOnToken(Instrument.DRUMS, 127)).isEqualTo(2306);
        assertThat(PLAIN.noteOffToken(Instrument.PIANO, 0)).isEqualTo(2307);
        assertThat(PLAIN.noteOffToken(Instrument.DRUMS, 127)).isEqualTo(4482);
        assertThat(PLAIN.timeShiftToken(1)).isEqualTo(4483);
        assertThat(PLAIN.timeShiftToken(100)).isEqualTo(4582);
        assertThat(PLAIN.velocityToken(0)).isEqualTo(4583);
        assertThat(PLAIN.velocityToken(31)).isEqualTo(4614);
        assertThat(countKinds(PLAIN)).containsExactlyEntriesOf(kinds(0));
    }

    @Test
    void layoutWithStylesShiftsEverythingAfterThem() {
        assertThat(STYLED.size()).isEqualTo(4618);
        assertThat(STYLED.styleToken("bach")).isEqualTo(2);
        assertThat(STYLED.styleToken("ragtime")).isEqualTo(4);
        assertThat(STYLED.programToken(0)).isEqualTo(5);
        for (int t = 5; t < STYLED.size(); t++) {
            assertThat(STYLED.kind(t)).isEqualTo(PLAIN.kind(t - 3));
        }
        assertThat(countKinds(STYLED)).containsExactlyEntriesOf(kinds(3));
        assertThat(STYLED.styles()).containsExactly("bach", "debussy", "ragtime");
    }

    @Test
    void constructorsAndDecodersAreInverse() {
        for (Instrument f : Instrument.values()) {
            for (int k = 0; k < 128; k++) {
                int on = STYLED.noteOnToken(f, k);
                int off = STYLED.noteOffToken(f, k);
                assertThat(STYLED.isNoteOn(on)).isTrue();
                assertThat(STYLED.isNoteOff(off)).isTrue();
                assertThat(STYLED.family(on)).isEqualTo(f);
                assertThat(STYLED.family(off)).isEqualTo(f);
                assertThat(STYLED.pitch(on)).isEqualTo(k);
                assertThat(STYLED.pitch(off)).isEqualTo(k);
            }
        }
        for (int n = 1; n <= 100; n++) {
            assertThat(STYLED.shiftSteps(STYLED.timeShiftToken(n))).isEqualTo(n);
        }
        for (int b = 0; b < 32; b++) {
            assertThat(STYLED.velocityBin(STYLED.velocityToken(b))).isEqualTo(b);
            assertThat(MusicVocabulary.binOfVelocity(MusicVocabulary.velocityOfBin(b))).isEqualTo(b);
        }
        for (int p = 0; p < 128; p++) {
            assertThat(STYLED.program(STYLED.programToken(p))).isEqualTo(p);
        }
        assertThat(STYLED.style(STYLED.styleToken("debussy"))).isEqualTo("debussy");
    }

    @Test
    void velocityBinsCoverOneToHundredTwentySeven() {
        assertThat(MusicVocabulary.binOfVelocity(1)).isZero();
        assertThat(MusicVocabulary.binOfVelocity(4)).isZero();
        assertThat(MusicVocabulary.binOfVelocity(5)).isEqualTo(1);
        assertThat(MusicVocabulary.binOfVelocity(127)).isEqualTo(31);
        assertThat(MusicVocabulary.velocityOfBin(0)).isEqualTo(2);
        assertThat(MusicVocabulary.velocityOfBin(31)).isEqualTo(126);
        assertThatThrownBy(() -> MusicVocabulary.binOfVelocity(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badInputIsRefusedAtTheEdge() {
        assertThatThrownBy(() -> new MusicVocabulary(List.of("a", "a"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> new MusicVocabulary(List.of(" "))).hasMessageContaining("blank");
        assertThatThrownBy(() -> STYLED.styleToken("jazz")).hasMessageContaining("bach");
        assertThatThrownBy(() -> PLAIN.styleToken("jazz")).hasMessageContaining("no styles");
        assertThatThrownBy(() -> PLAIN.timeShiftToken(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PLAIN.timeShiftToken(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PLAIN.kind(PLAIN.size())).hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> PLAIN.kind(-1)).hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> PLAIN.pitch(PLAIN.drumsToken())).hasMessageContaining("not a note token");
        assertThatThrownBy(() -> PLAIN.encode(piece(note(0, 10, 60)), "bach")).hasMessageContaining("no styles");
        assertThatThrownBy(() -> new Header(null, Map.of(Instrument.PIANO, 40))).hasMessageContaining("piano");
    }

    @Test
    void describeIsReadable() {
        assertThat(STYLED.describe(0)).isEqualTo("start");
        assertThat(STYLED.describe(1)).isEqualTo("end");
        assertThat(STYLED.describe(STYLED.styleToken("bach"))).isEqualTo("style bach");
        assertThat(STYLED.describe(STYLED.programToken(40))).isEqualTo("program 40 (strings)");
        assertThat(STYLED.describe(STYLED.drumsToken())).isEqualTo("drums");
        assertThat(STYLED.describe(STYLED.noteOnToken(Instrument.PIANO, 60))).isEqualTo("note-on piano C4");
        assertThat(STYLED.describe(STYLED.noteOnToken(Instrument.SYNTH_LEAD, 61))).isEqualTo("note-on synth-lead C#4");
        assertThat(STYLED.describe(STYLED.noteOffToken(Instrument.BASS, 0))).isEqualTo("note-off bass C-1");
        assertThat(STYLED.describe(STYLED.noteOffToken(Instrument.DRUMS, 36))).isEqualTo("note-off drums 36");
        assertThat(STYLED.describe(STYLED.timeShiftToken(12))).isEqualTo("shift 120ms");
        assertThat(STYLED.describe(STYLED.velocityToken(17))).isEqualTo("velocity 17");
        for (int t = 0; t < STYLED.size(); t++) {
            assertThat(STYLED.describe(t)).isNotBlank();
        }
    }

    // ------------------------------------------------------------ encoding

    @Test
    void aSmallPieceEncodesAsExpected() {
        Piece p = piece(
                new Note(0, 500 * MS, 60, 80, 0, false), // piano C4, velocity 80: bin 19
                new Note(0, 500 * MS, 64, 80, 0, false), // piano E4
                new Note(1_703 * MS, 1_796 * MS, 36, 100, 0, true)); // bass drum, bin 24, 1.7 s
        MusicVocabulary v = STYLED;
        assertThat(v.encode(p, "ragtime")).containsExactly(
                v.startToken(), v.styleToken("ragtime"), v.programToken(0), v.drumsToken(),
                v.velocityToken(19), v.noteOnToken(Instrument.PIANO, 60), v.noteOnToken(Instrument.PIANO, 64),
                v.timeShiftToken(50),
                v.noteOffToken(Instrument.PIANO, 60), v.noteOffToken(Instrument.PIANO, 64),
                v.timeShiftToken(100), v.timeShiftToken(20),
                v.velocityToken(24), v.noteOnToken(Instrument.DRUMS, 36),
                v.timeShiftToken(10), v.noteOffToken(Instrument.DRUMS, 36),
                v.endToken());
    }

    @Test
    void encodingIsDeterministicAndIgnoresNoteOrder() {
        Piece p = randomPiece(new Rng(7), 200);
        List<Note> shuffled = new ArrayList<>(p.notes());
        Collections.shuffle(shuffled, new java.util.Random(3));
        assertThat(PLAIN.encode(p, null)).isEqualTo(PLAIN.encode(p, null));
        assertThat(PLAIN.encode(new Piece(shuffled), null)).isEqualTo(PLAIN.encode(p, null));
    }

    @Test
    void velocityTokenOnlyWhenTheBinChanges() {
        Piece p = piece(new Note(0, 10 * MS, 60, 81, 0, false), new Note(0, 10 * MS, 62, 84, 0, false), // bin 20
                new Note(20 * MS, 30 * MS, 60, 83, 0, false), // bin 20 again
                new Note(40 * MS, 50 * MS, 60, 85, 0, false)); // bin 21
        int[] tokens = PLAIN.events(p);
        assertThat(java.util.Arrays.stream(tokens).filter(PLAIN::isVelocity).map(PLAIN::velocityBin).toArray())
                .containsExactly(20, 21);
    }

    @Test
    void anEmptyPieceIsJustItsHeader() {
        assertThat(STYLED.encode(new Piece(List.of()), "bach")).containsExactly(0, STYLED.styleToken("bach"), 1);
        assertThat(STYLED.decode(new int[] {0, 1}).notes()).isEmpty();
    }

    // ------------------------------------------------------------ round trips

    @Test
    void chordsFamiliesDrumsGapsAndShortNotesRoundTrip() {
        List<Note> notes = new ArrayList<>();
        notes.add(new Note(0, 480 * MS, 60, 64, 0, false)); // piano chord
        notes.add(new Note(2 * MS, 470 * MS, 64, 70, 0, false));
        notes.add(new Note(4 * MS, 490 * MS, 67, 100, 0, false));
        notes.add(new Note(0, 2_000 * MS, 36, 50, 33, false)); // bass, program 33
        notes.add(new Note(0, 100 * MS, 36, 127, 0, true)); // bass drum: same key number as the bass
        notes.add(new Note(250 * MS, 251 * MS, 42, 1, 0, true)); // hi-hat, 1 ms long, quietest
        notes.add(new Note(3_456_789, 3_460_000, 72, 90, 41, false)); // after a gap over 3 s; 3 ms long
        notes.add(new Note(3_456_789, 9_000_000, 48, 30, 41, false)); // viola, 5.5 s
        notes.add(new Note(12_345_678, 12_345_679, 127, 127, 127, false)); // 1 µs, top key, sound effects
        notes.add(new Note(12_345_678, 12_400_000, 0, 2, 88, false)); // synth pad, bottom key
        Piece p = new Piece(notes);
        assertRoundTrip(p, STYLED, "debussy");
        assertRoundTrip(p, PLAIN, null);
    }

    @Test
    void randomPiecesRoundTrip() {
        Rng rng = new Rng(20261124);
        for (int i = 0; i < 40; i++) {
            assertRoundTrip(randomPiece(rng, 1 + rng.nextInt(150)), STYLED, i % 2 == 0 ? null : "bach");
        }
    }

    @Test
    void aKeyStruckAgainEndsTheSoundingNote() {
        Piece p = piece(new Note(0, 1_000 * MS, 60, 64, 0, false), new Note(500 * MS, 1_500 * MS, 60, 64, 0, false));
        assertThat(PLAIN.decode(PLAIN.encode(p, null)).notes()).containsExactly(
                new Note(0, 500 * MS, 60, MusicVocabulary.velocityOfBin(15), 0, false),
                new Note(500 * MS, 1_500 * MS, 60, MusicVocabulary.velocityOfBin(15), 0, false));
    }

    @Test
    void twoNotesOfOneKeyAtOneInstantBecomeOne() {
        Piece p = piece(new Note(0, 1_000 * MS, 60, 40, 0, false), new Note(2 * MS, 500 * MS, 60, 100, 0, false));
        assertThat(PLAIN.decode(PLAIN.encode(p, null)).notes()).containsExactly(
                new Note(0, 1_000 * MS, 60, MusicVocabulary.velocityOfBin(MusicVocabulary.binOfVelocity(100)), 0, false));
    }

    @Test
    void twoProgramsOfOneFamilyDecodeToTheFirst() {
        Piece p = piece(new Note(0, 100 * MS, 60, 64, 1, false), new Note(200 * MS, 300 * MS, 62, 64, 0, false));
        assertThat(PLAIN.decode(PLAIN.encode(p, null)).notes()).extracting(Note::program).containsExactly(1, 1);
    }

    @Test
    void headerRoundTrips() {
        Map<Instrument, Integer> programs = new EnumMap<>(Instrument.class);
        programs.put(Instrument.DRUMS, 0);
        programs.put(Instrument.STRINGS, 42);
        programs.put(Instrument.PIANO, 5);
        Header h = new Header("ragtime", programs);
        int[] tokens = STYLED.header(h);
        assertThat(tokens).containsExactly(0, STYLED.styleToken("ragtime"), STYLED.programToken(5),
                STYLED.programToken(42), STYLED.drumsToken());
        Decoder d = STYLED.decoder();
        for (int t : tokens) {
            d.feed(t);
        }
        assertThat(d.header()).isEqualTo(h);
        assertThat(d.inHeader()).isTrue();
        assertThat(STYLED.header(null, List.of(Instrument.BRASS, Instrument.PIANO)))
                .containsExactly(0, STYLED.programToken(0), STYLED.programToken(56));
        assertThat(Header.of(piece(note(0, 10, 60)), "bach")).isEqualTo(new Header("bach", Map.of(Instrument.PIANO, 0)));
    }

    @Test
    void notesUseTheHeadersProgramElseTheFamilyDefault() {
        MusicVocabulary v = PLAIN;
        int[] tokens = {v.programToken(42), v.noteOnToken(Instrument.STRINGS, 60), v.noteOnToken(Instrument.BRASS, 60),
            v.noteOnToken(Instrument.DRUMS, 38), v.timeShiftToken(10)};
        assertThat(v.decode(tokens).notes()).extracting(Note::program, Note::drum).containsExactly(
                org.assertj.core.groups.Tuple.tuple(42, false), org.assertj.core.groups.Tuple.tuple(56, false),
                org.assertj.core.groups.Tuple.tuple(0, true));
    }

    // ------------------------------------------------------------ decoding what a model writes

    @Test
    void theDecoderSurvivesAnyTokenSequence() {
        Rng rng = new Rng(42);
        for (int run = 0; run < 300; run++) {
            MusicVocabulary v = run % 2 == 0 ? PLAIN : STYLED;
            Decoder d = v.decoder();
            long last = 0;
            int length = rng.nextInt(3000);
            for (int i = 0; i < length; i++) {
                int t = run % 3 == 0 ? rng.nextInt(v.size()) : likelyToken(v, rng);
                boolean going = d.feed(t);
                assertThat(d.currentTimeMicros()).isGreaterThanOrEqualTo(last);
                assertThat(d.openNotes()).isBetween(0, MusicVocabulary.FAMILIES * 128);
                last = d.currentTimeMicros();
                assertThat(going).isEqualTo(!d.ended());
            }
            Piece p = d.finish(); // every Note validates its ranges when built
            for (Note n : p.notes()) {
                assertThat(n.end()).isLessThanOrEqualTo(Math.max(d.currentTimeMicros(), n.start() + MusicVocabulary.STEP_MICROS));
                assertThat(n.start() % MusicVocabulary.STEP_MICROS).isZero();
                assertThat(n.program()).isEqualTo(
                        d.header().programs().getOrDefault(n.instrument(), n.instrument().defaultProgram()));
            }
            assertThat(d.finish()).isEqualTo(p); // finishing does not change the decoder
            // Encoding then decoding is a projection: once is enough, even for what garbage decodes to.
            Piece once = v.decode(v.encode(p, null));
            assertThat(v.decode(v.encode(once, null))).isEqualTo(once);
        }
    }

    @Test
    void endStopsAndHeaderTokensMidStreamAreIgnored() {
        MusicVocabulary v = STYLED;
        Decoder d = v.decoder();
        d.feed(v.programToken(40));
        d.feed(v.noteOnToken(Instrument.STRINGS, 60));
        d.feed(v.programToken(41)); // too late: ignored
        d.feed(v.styleToken("bach")); // too late: ignored
        d.feed(v.startToken()); // ignored
        d.feed(v.noteOffToken(Instrument.PIANO, 10)); // silent key: ignored
        d.feed(v.timeShiftToken(30));
        assertThat(d.openNotes()).isEqualTo(1);
        assertThat(d.currentTimeMicros()).isEqualTo(300 * MS);
        assertThat(d.feed(v.endToken())).isFalse();
        assertThat(d.feed(v.timeShiftToken(100))).isFalse();
        assertThat(d.currentTimeMicros()).isEqualTo(300 * MS);
        assertThat(d.header()).isEqualTo(new Header(null, Map.of(Instrument.STRINGS, 40)));
        assertThat(d.finish().notes()).containsExactly(
                new Note(0, 300 * MS, 60, MusicVocabulary.velocityOfBin(MusicVocabulary.DEFAULT_VELOCITY_BIN), 40, false));
    }

    @Test
    void aNoteOnAndOffAtOneInstantLastsOneStep() {
        MusicVocabulary v = PLAIN;
        Piece p = v.decode(new int[] {v.noteOnToken(Instrument.GUITAR, 50), v.noteOffToken(Instrument.GUITAR, 50),
            v.noteOnToken(Instrument.ORGAN, 50)});
        assertThat(p.notes()).extracting(Note::duration).containsOnly(MusicVocabulary.STEP_MICROS);
    }

    @Test
    void generationCanStopAtALength() {
        MusicVocabulary v = PLAIN;
        Decoder d = v.decoder();
        Rng rng = new Rng(1);
        while (d.currentTimeMicros() < 5_000_000 && !d.ended()) {
            d.feed(likelyToken(v, rng));
        }
        Piece p = d.finish();
        assertThat(p.duration()).isLessThanOrEqualTo(d.currentTimeMicros() + MusicVocabulary.STEP_MICROS);
        assertThat(p.notes()).isNotEmpty();
    }

    // ------------------------------------------------------------ helpers

    /** Checks what the class documentation promises of a piece without self-overlapping keys. */
    private static void assertRoundTrip(Piece p, MusicVocabulary v, String style) {
        int[] tokens = v.encode(p, style);
        Decoder d = v.decoder();
        for (int t : tokens) {
            d.feed(t);
        }
        assertThat(d.ended()).isTrue();
        assertThat(d.header()).isEqualTo(Header.of(p, style));
        Piece back = d.finish();
        assertThat(back.notes()).hasSameSizeAs(p.notes());
        Map<Instrument, Integer> programs = Header.of(p, null).programs();
        List<Note> unmatched = new ArrayList<>(back.notes());
        for (Note n : p.notes()) {
            Note m = unmatched.stream()
                    .filter(b -> b.instrument() == n.instrument() && b.pitch() == n.pitch()
                            && Math.abs(b.start() - n.start()) <= 5 * MS)
                    .findFirst().orElseThrow(() -> new AssertionError("no note decoded for " + n));
            unmatched.remove(m);
            assertThat(Math.abs(m.duration() - n.duration())).as("duration of %s", n).isLessThanOrEqualTo(10 * MS);
            assertThat(MusicVocabulary.binOfVelocity(m.velocity())).isEqualTo(MusicVocabulary.binOfVelocity(n.velocity()));
            assertThat(m.program()).isEqualTo(programs.get(n.instrument()));
        }
        assertThat(v.encode(back, style)).as("a decoded piece encodes to the same tokens").isEqualTo(tokens);
    }

    /** A random piece with no key overlapping itself: every family, long gaps, short notes, all velocities. */
    private static Piece randomPiece(Rng rng, int count) {
        List<Note> notes = new ArrayList<>();
        Map<Integer, Long> freeFrom = new java.util.HashMap<>(); // key -> earliest next onset, µs
        int[] programOf = new int[MusicVocabulary.FAMILIES];
        for (int f = 0; f < 16; f++) {
            programOf[f] = f * 8 + rng.nextInt(8);
        }
        long t = 0;
        for (int i = 0; i < count; i++) {
            t += switch (rng.nextInt(4)) {
                case 0 -> 0; // a chord
                case 1 -> rng.nextInt(20 * (int) MS);
                case 2 -> rng.nextInt(500 * (int) MS);
                default -> rng.nextInt(10) == 0 ? rng.nextInt(4_000 * (int) MS) : rng.nextInt(1_000 * (int) MS);
            };
            Instrument f = Instrument.values()[rng.nextInt(MusicVocabulary.FAMILIES)];
            int pitch = rng.nextInt(128);
            int key = f.ordinal() * 128 + pitch;
            if (freeFrom.getOrDefault(key, 0L) > t) {
                continue;
            }
            long length = rng.nextInt(3) == 0 ? 1 + rng.nextInt(12 * (int) MS) : 1 + rng.nextInt(3_000 * (int) MS);
            boolean drum = f == Instrument.DRUMS;
            notes.add(new Note(t, t + length, pitch, 1 + rng.nextInt(127), drum ? 0 : programOf[f.ordinal()], drum));
            freeFrom.put(key, t + length + 20 * MS);
        }
        return new Piece(notes);
    }

    /** A token as a model might write it: mostly events, some header tokens, now and then END. */
    private static int likelyToken(MusicVocabulary v, Rng rng) {
        int r = rng.nextInt(100);
        Instrument f = Instrument.values()[rng.nextInt(3) == 0 ? rng.nextInt(MusicVocabulary.FAMILIES) : 0];
        int pitch = 55 + rng.nextInt(12);
        if (r < 35) {
            return v.noteOnToken(f, pitch);
        } else if (r < 65) {
            return v.noteOffToken(f, pitch);
        } else if (r < 85) {
            return v.timeShiftToken(1 + rng.nextInt(100));
        } else if (r < 93) {
            return v.velocityToken(rng.nextInt(32));
        } else if (r < 99) {
            return rng.nextInt(v.drumsToken() + 1); // START, STYLE, PROGRAM, DRUMS
        }
        return rng.nextInt(50) == 0 ? v.endToken() : v.startToken();
    }

    private static Map<Kind, Integer> countKinds(MusicVocabulary v) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (int t = 0; t < v.size(); t++) {
            counts.merge(v.kind(t), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<Kind, Integer> kinds(int styles) {
        Map<Kind, Integer> m = new EnumMap<>(Kind.class);
        m.put(Kind.START, 1);
        m.put(Kind.END, 1);
        if (styles > 0) {
            m.put(Kind.STYLE, styles);
        }
        m.put(Kind.PROGRAM, 128);
        m.put(Kind.DRUMS, 1);
        m.put(Kind.NOTE_ON, 17 * 128);
        m.put(Kind.NOTE_OFF, 17 * 128);
        m.put(Kind.TIME_SHIFT, 100);
        m.put(Kind.VELOCITY, 32);
        return m;
    }

    private static Note note(long startMs, long endMs, int pitch) {
        return new Note(startMs * MS, endMs * MS, pitch, 64, 0, false);
    }

    private static Piece piece(Note... notes) {
        return new Piece(List.of(notes));
    }
}
