package io.daair.jobs.cli;

import java.util.List;
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
        settings();
        throw UserException.badState("'daair info' is not available in this build yet (issue #3)");
    }
}
