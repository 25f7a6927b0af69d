package io.daair.data.patch;

import io.daair.data.BadInputException;
import io.daair.data.datasets.Sample;
import io.daair.data.degrade.DegradationParams;
import io.daair.data.degrade.Degraded;
import io.daair.data.image.ImageStore;
import io.daair.data.image.RgbImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Turns one {@link Sample} into its {@link PatchRecord}s: reads the clean image, reads the real degraded partner
 * or degrades the centre-cropped clean image synthetically, then cuts {@link PatchSpec#perImage()} patch pairs
 * ({@link PatchCropper}). Everything is determined by the sample's key and the spec's seed
 * ({@code sampleSeed = Seeds.forKey(spec.seed(), sample.key())}), so reruns give identical patches.
 *
 * <p>The last {@value #CACHED} decoded images are kept, so the protocol's repeats of one image (rain x120)
 * decode it once when they arrive one after another (sort samples by path). Not thread-safe: one instance per
 * task.
 */
public final class PatchMaker {

    private static final int CACHED = 2;

    private final ImageStore store;
    private final PatchSpec spec;
    private final Map<String, RgbImage> recent = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RgbImage> eldest) {
            return size() > CACHED;
        }
    };

    public PatchMaker(ImageStore store, PatchSpec spec) {
        this.store = store;
        this.spec = spec;
    }

    /**
     * The patches of {@code sample}. An unreadable image throws its {@link IOException} (an
     * {@code ImageDecodeException} names the file); a pair of different sizes or an image smaller than a patch
     * is an {@link IllegalArgumentException} naming the files.
     */
    public List<PatchRecord> make(Sample sample) throws IOException {
        long seed = sample.seed(spec.seed());
        RgbImage original = read(sample.cleanPath());
        RgbImage clean = PatchCropper.centreCrop16(original);
        RgbImage degraded;
        DegradationParams params;
        if (sample.isSynthetic()) {
            Degraded d = sample.degrader().apply(clean, seed);
            degraded = d.image();
            params = d.params();
        } else {
            RgbImage full = read(sample.degradedPath());
            if (full.width() != original.width() || full.height() != original.height()) {
                throw new BadInputException(sample.degradedPath() + " is " + full.width() + "x" + full.height()
                        + " but its clean partner " + sample.cleanPath() + " is " + original.width() + "x"
                        + original.height());
            }
            degraded = PatchCropper.centreCrop16(full);
            params = sample.realParams();
        }
        List<PatchCropper.Patch> patches;
        try {
            patches = PatchCropper.cut(clean, degraded, spec, seed);
        } catch (BadInputException e) {
            throw new BadInputException(sample.cleanPath() + ": " + e.getMessage(), e);
        }
        String json = params.toJson();
        List<PatchRecord> out = new ArrayList<>(patches.size());
        for (PatchCropper.Patch p : patches) {
            out.add(new PatchRecord(
                    sample.dataset(),
                    sample.cleanPath(),
                    sample.degradedPath(),
                    sample.degradation(),
                    json,
                    p.clean(),
                    p.degraded(),
                    p.size(),
                    p.size(),
                    p.seed(),
                    p.index(),
                    p.x(),
                    p.y(),
                    p.transform()));
        }
        return out;
    }

    private RgbImage read(String path) throws IOException {
        RgbImage img = recent.get(path);
        if (img == null) {
            img = store.read(new Path(path));
            recent.put(path, img);
        }
        return img;
    }
}
