package io.daair.data.degrade;

import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * One photo under each degradation, side by side in a PNG so a person can judge the generators: left to right
 * clean, noise (sigma 15, 25, 50), rain, haze, blur, low light, with a {@value #GUTTER}-pixel white gutter. The
 * same seed gives the same sheet.
 */
public final class ContactSheet {

    /** Gap between tiles, in pixels. */
    public static final int GUTTER = 4;

    /** Column titles in order, for a caption printed next to the sheet. */
    public static final List<String> COLUMNS =
            List.of("clean", "noise s15", "noise s25", "noise s50", "rain", "haze", "blur", "low light");

    private ContactSheet() {}

    /** The sheet for {@code photo}. */
    public static RgbImage render(RgbImage photo, long seed) {
        List<RgbImage> tiles = new ArrayList<>();
        tiles.add(photo.quantised8());
        for (double sigma : new double[] {15, 25, 50}) {
            tiles.add(new NoiseDegrader(sigma).apply(photo, seed).image());
        }
        for (Degradation d :
                new Degradation[] {Degradation.RAIN, Degradation.HAZE, Degradation.BLUR, Degradation.LOW_LIGHT}) {
            tiles.add(Degraders.synthetic(d).apply(photo, seed).image());
        }
        return row(tiles);
    }

    /** Reads {@code photo}, renders its sheet and writes it as PNG to {@code target}. */
    public static void write(ImageStore store, Path photo, Path target, long seed) throws IOException {
        store.writePng(render(store.read(photo), Seeds.forKey(seed, photo.getName())), target);
    }

    private static RgbImage row(List<RgbImage> tiles) {
        int tw = tiles.get(0).width();
        int th = tiles.get(0).height();
        int w = tiles.size() * tw + (tiles.size() - 1) * GUTTER;
        float[] out = new float[3 * w * th];
        java.util.Arrays.fill(out, 1f);
        for (int i = 0; i < tiles.size(); i++) {
            float[] src = tiles.get(i).chw();
            int x0 = i * (tw + GUTTER);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < th; y++) {
                    System.arraycopy(src, (c * th + y) * tw, out, (c * th + y) * w + x0, tw);
                }
            }
        }
        return new RgbImage(w, th, out);
    }
}
