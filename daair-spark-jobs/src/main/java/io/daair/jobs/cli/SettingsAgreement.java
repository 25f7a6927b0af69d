package io.daair.jobs.cli;

import io.daair.data.datasets.MixSpec;
import io.daair.data.degrade.Degradation;
import io.daair.nn.config.NetConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Settings that must agree, checked together on the driver before any Spark work: a mismatch would otherwise
 * surface inside an executor (a patch label outside the network's experts, a shard with no patch).
 */
final class SettingsAgreement {
    static final String MIX = "daair.data.mix.degradations";
    static final String NET = "daair.net.degradations";
    static final String TASK = "daair.train.single-task";
    /** The network's settings: given, they name the network a --model must be. */
    static final String NET_SETTINGS = "daair.net";

    private SettingsAgreement() {}

    /**
     * Training: the single task and the mix (when given; its default describes no patch set) must be among the
     * network's degradations, and the single task in the mix. One bad-input failure naming the keys.
     */
    static void checkTraining(Settings settings, NetConfig net) {
        List<Degradation> experts = Arrays.asList(Degradation.firstN(net.degradations()));
        String task = settings.config().getString(TASK);
        MixSpec mix = settings.given(MIX) ? MixSpec.fromConfig(settings.config().getConfig("daair.data.mix")) : null;
        List<String> problems = new ArrayList<>();
        if (!task.equals("all") && !experts.contains(Degradation.fromId(task))) {
            problems.add(
                    TASK + " = " + task + " is not one of the " + ids(experts) + " of " + NET + " = " + experts.size());
        }
        if (mix != null && !experts.containsAll(mix.repeats().keySet())) {
            problems.add(MIX + " = " + ids(mix.repeats().keySet()) + " holds degradations the network does not have ("
                    + NET + " = " + experts.size() + ": " + ids(experts) + ")");
        }
        if (mix != null && !task.equals("all") && !mix.includes(Degradation.fromId(task))) {
            problems.add(TASK + " = " + task + " is not in " + MIX + " = "
                    + ids(mix.repeats().keySet()));
        }
        if (!problems.isEmpty()) {
            throw UserException.badInput("settings disagree: " + String.join("; ", problems)
                    + " (set them together, as the presets in conf/ do)");
        }
    }

    private static String ids(Collection<Degradation> ds) {
        return ds.stream().map(Degradation::id).toList().toString();
    }
}
