package io.daair.data.datasets;

import io.daair.data.image.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** Checks that every real pair's two images have the same size, reading only the file headers. */
public final class PairValidator {

    private final ImageStore store;

    public PairValidator(ImageStore store) {
        this.store = store;
    }

    /**
     * Throws one {@link DatasetException} listing every pair whose sizes differ or whose header cannot be read;
     * synthetic samples are skipped.
     */
    public void validate(List<Sample> samples) {
        List<String> problems = new ArrayList<>();
        for (Sample s : samples) {
            if (s.isSynthetic()) {
                continue;
            }
            try {
                int[] a = store.readSize(new Path(s.degradedPath()));
                int[] b = store.readSize(new Path(s.cleanPath()));
                if (a[0] != b[0] || a[1] != b[1]) {
                    problems.add(s.degradedPath() + " is " + a[0] + "x" + a[1] + " but its partner " + s.cleanPath()
                            + " is " + b[0] + "x" + b[1]);
                }
            } catch (IOException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new DatasetException("image pairs whose sizes differ or cannot be read", problems);
        }
    }
}
