package io.daair.nn.ops;

import java.util.HashSet;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;

/** Central-difference checks of the Java ops' analytic backward passes (graphs built in doubles). */
final class FiniteDifferences {

    private FiniteDifferences() {}

    /** Whether every gradient of sd's loss matches central differences (step 1e-6, relative error 1e-4). */
    static boolean agree(SameDiff sd) {
        return GradCheckUtil.checkGradients(
                sd,
                Map.of(),
                1e-6,
                1e-4,
                1e-8,
                false,
                false,
                false,
                false,
                new HashSet<>(),
                null,
                0,
                GradCheckUtil.Subset.EVERY_N);
    }
}
