package io.daair.nn.train;

import io.daair.nn.DaairNet;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The controllers' exponential moving average (docs/architecture.md, "Controller and its EMA"):
 * {@code theta_c <- sigma * theta_c + (1 - sigma) * mean_j(theta_A_j)} after every optimizer step.
 */
public final class ControllerEma {

    private ControllerEma() {}

    /** Updates {@code controller} in place. */
    public static void update(INDArray controller, List<INDArray> sources, double sigma) {
        INDArray mean = sources.get(0).dup();
        for (int j = 1; j < sources.size(); j++) {
            mean.addi(sources.get(j));
        }
        mean.divi(sources.size());
        controller.muli(sigma).addi(mean.muli(1 - sigma));
    }

    /** Updates every controller of {@code net}. */
    public static void update(DaairNet net) {
        SameDiff sd = net.sameDiff();
        double sigma = net.config().emaSigma();
        for (DaairNet.ControllerLink link : net.controllerLinks()) {
            List<INDArray> sources =
                    link.sources().stream().map(s -> sd.getVariable(s).getArr()).toList();
            update(sd.getVariable(link.controller()).getArr(), sources, sigma);
        }
    }
}
