import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Shrinks sample photos to at most MAX pixels on the long side (area averaging) and writes them as 8-bit RGB PNG;
 * with --square, first crops the centre square, so every output is MAX x MAX. An input may be given as
 * IN_FILE=NAME to name its output NAME.png (default: the input's base name).
 * Run by tools/samples/make-samples.sh; usage: java ShrinkSamples.java [--square] MAX OUT_DIR IN_FILE[=NAME]...
 */
public class ShrinkSamples {
    public static void main(String[] args) throws Exception {
        boolean square = args[0].equals("--square");
        int first = square ? 1 : 0;
        int max = Integer.parseInt(args[first]);
        File outDir = new File(args[first + 1]);
        outDir.mkdirs();
        for (int i = first + 2; i < args.length; i++) {
            String[] spec = args[i].split("=", 2);
            File in = new File(spec[0]);
            BufferedImage src = ImageIO.read(in);
            if (src == null) {
                throw new IllegalArgumentException("not a readable image: " + in);
            }
            if (square) {
                int side = Math.min(src.getWidth(), src.getHeight());
                src = src.getSubimage((src.getWidth() - side) / 2, (src.getHeight() - side) / 2, side, side);
            }
            double scale = Math.min(1.0, (double) max / Math.max(src.getWidth(), src.getHeight()));
            int w = (int) Math.round(src.getWidth() * scale);
            int h = (int) Math.round(src.getHeight() * scale);
            Image scaled = src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            out.getGraphics().drawImage(scaled, 0, 0, null);
            String base = spec.length > 1 ? spec[1] : in.getName().replaceAll("\\.[^.]+$", "");
            ImageIO.write(out, "png", new File(outDir, base + ".png"));
            System.out.println(base + ".png " + w + "x" + h);
        }
    }
}
