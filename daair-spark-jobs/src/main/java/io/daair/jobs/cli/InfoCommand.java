package io.daair.jobs.cli;

import io.daair.nn.NetStats;
import io.daair.nn.config.NetConfig;
import io.daair.nn.io.NetConfigJson;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair info}: the network's size for a preset, E and ablation switches. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description =
                "Print parameter counts (trainable, controllers) and GMACs at 224x224 of a network configuration.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair info --preset tiny",
            "  daair info --preset paper --degradations 3 --json",
            "  daair info --preset small --set net.use-controller=false   (the 'no controller' ablation)"
        })
final class InfoCommand extends BaseCommand {

    @Option(names = "--preset", description = "tiny, small or paper (default: daair.net.preset)")
    String preset;

    @Option(names = "--degradations", description = "3 (noise, rain, haze) or 5 (+ blur, low light)")
    Integer degradations;

    @Option(names = "--json", description = "Print JSON with keys trainable_params, controller_params, gmacs_224")
    boolean json;

    @Override
    protected List<String> optionOverrides() {
        List<String> o = overrides();
        putIfSet(o, "daair.net.preset", preset);
        putIfSet(o, "daair.net.degradations", degradations);
        return o;
    }

    @Override
    protected void run() {
        NetConfig net = NetConfig.fromConfig(settings().config());
        NetStats stats = NetStats.of(net);
        if (json) {
            out().printf(
                            Locale.ROOT,
                            "{\"config\":%s,\"trainable_params\":%d,\"controller_params\":%d,\"gmacs_224\":%.4f}%n",
                            NetConfigJson.toJson(net),
                            stats.trainableParams(),
                            stats.controllerParams(),
                            stats.gmacs224());
        } else {
            out().println(net);
            out().printf(Locale.ROOT, "trainable parameters   %,d%n", stats.trainableParams());
            out().printf(Locale.ROOT, "controller parameters  %,d (EMA, no gradient)%n", stats.controllerParams());
            out().printf(Locale.ROOT, "all parameters         %,d%n", stats.withControllers());
            out().printf(
                            Locale.ROOT,
                            "GMACs at 224x224       %.2f (one image, one specialist per DaLe)%n",
                            stats.gmacs224());
        }
    }
}
