package art.atelier.music;

import java.util.Locale;

/**
 * The sixteen General MIDI instrument families (eight programs each) and the drum kit: the level at
 * which the music vocabulary names instruments and at which a user asks for them
 * ({@code --instruments piano,strings}).
 */
public enum Instrument {
    PIANO(0), CHROMATIC_PERCUSSION(8), ORGAN(16), GUITAR(24), BASS(32), STRINGS(40), ENSEMBLE(48), BRASS(56),
    REED(64), PIPE(72), SYNTH_LEAD(80), SYNTH_PAD(88), SYNTH_EFFECTS(96), ETHNIC(104), PERCUSSIVE(112),
    SOUND_EFFECTS(120), DRUMS(0);

    private final int firstProgram; // the family's first GM program, its default sound

    Instrument(int firstProgram) {
        this.firstProgram = firstProgram;
    }

    /**
     * @param program GM program 0–127
     * @param drum whether on the drum channel
     * @return the family
     */
    public static Instrument of(int program, boolean drum) {
        if (drum) {
            return DRUMS;
        }
        return values()[program / 8];
    }

    /** @return the program a new piece uses for this family when nothing else says which */
    public int defaultProgram() {
        return firstProgram;
    }

    /** @return the user-facing name: lower case, hyphens ("synth-lead") */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param label a user-facing name, as {@link #label()} gives (case and {@code _}/{@code -} ignored)
     * @return the family
     * @throws IllegalArgumentException naming the known families, if there is none of that name
     */
    public static Instrument parse(String label) {
        String n = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Instrument i : values()) {
            if (i.name().equals(n)) {
                return i;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Instrument i : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(i.label());
        }
        throw new IllegalArgumentException("unknown instrument \"" + label + "\"; known: " + known);
    }
}
