package art.atelier.demo;

import art.atelier.util.Rng;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import art.atelier.util.AtomicFiles;

/**
 * A small picture corpus the project draws itself, for the demo and the tests: icons in two styles
 * on a transparent ground, as an artist's folder of drawings might hold — {@code suns/} (a warm disc
 * with rays) and {@code tiles/} (a cool square or diamond with an inner mark). Each picture varies
 * in colour, size, position and detail, drawn from a seed.
 */
public final class SamplePictures {

    /** The styles, as sub-folder names. */
    public static final String[] STYLES = {"suns", "tiles"};

    private SamplePictures() {}

    /**
     * Writes {@code perStyle} PNG pictures of {@code size}×{@code size} pixels for each style.
     *
     * @param dir the corpus folder to write
     * @param perStyle pictures per style
     * @param size picture side in pixels
     * @param seed the seed
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, int perStyle, int size, long seed) throws IOException {
        Rng rng = new Rng(seed);
        for (String style : STYLES) {
            for (int i = 0; i < perStyle; i++) {
                BufferedImage img = draw(style, size, rng);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(img, "png", out);
                AtomicFiles.write(dir.resolve(style).resolve(String.format("%s-%03d.png", style, i)), out.toByteArray());
            }
        }
    }

    private static BufferedImage draw(String style, int size, Rng rng) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double s = size;
        double cx = s * (0.45 + 0.1 * rng.nextDouble());
        double cy = s * (0.45 + 0.1 * rng.nextDouble());
        double r = s * (0.18 + 0.12 * rng.nextDouble());
        if (style.equals("suns")) {
            Color warm = Color.getHSBColor((float) (0.02 + 0.12 * rng.nextDouble()), 0.85f, 1f);
            g.setColor(warm.darker());
            g.setStroke(new BasicStroke((float) Math.max(1, s / 24)));
            int rays = 6 + rng.nextInt(7);
            double turn = rng.nextDouble() * Math.PI;
            for (int k = 0; k < rays; k++) {
                double a = turn + 2 * Math.PI * k / rays;
                g.drawLine((int) (cx + r * Math.cos(a)), (int) (cy + r * Math.sin(a)),
                        (int) (cx + 1.7 * r * Math.cos(a)), (int) (cy + 1.7 * r * Math.sin(a)));
            }
            g.setColor(warm);
            g.fillOval((int) (cx - r), (int) (cy - r), (int) (2 * r), (int) (2 * r));
        } else {
            Color cool = Color.getHSBColor((float) (0.5 + 0.2 * rng.nextDouble()), 0.7f, 0.9f);
            g.setColor(cool);
            g.rotate(rng.nextInt(2) * Math.PI / 4, cx, cy);
            double h = 1.3 * r;
            g.fillRect((int) (cx - h), (int) (cy - h), (int) (2 * h), (int) (2 * h));
            g.setColor(Color.WHITE);
            double m = h * (0.25 + 0.3 * rng.nextDouble());
            g.fillOval((int) (cx - m), (int) (cy - m), (int) (2 * m), (int) (2 * m));
        }
        g.dispose();
        return img;
    }
}
