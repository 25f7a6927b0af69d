import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Shrinks sample photos to at most MAX pixels on the long side (area averaging) and writes them as 8-bit RGB PNG.
 * Run by tools/samples/make-samples.sh; usage: java ShrinkSamples.java MAX OUT_DIR IN_FILE...
 */
public class ShrinkSamples {
    public static void main(String[] args) throws Exception {
        int max = Integer.parseInt(args[0]);
        File outDir = new File(args[1]);
        outDir.mkdirs();
        for (int i = 2; i < args.length; i++) {
            File in = new File(args[i]);
            BufferedImage src = ImageIO.read(in);
            double scale = Math.min(1.0, (double) max / Math.max(src.getWidth(), src.getHeight()));
            int w = (int) Math.round(src.getWidth() * scale);
            int h = (int) Math.round(src.getHeight() * scale);
            Image scaled = src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            out.getGraphics().drawImage(scaled, 0, 0, null);
            String name = in.getName().replaceAll("\\.[^.]+$", "") + ".png";
            ImageIO.write(out, "png", new File(outDir, name));
            System.out.println(name + " " + w + "x" + h);
        }
    }
}
