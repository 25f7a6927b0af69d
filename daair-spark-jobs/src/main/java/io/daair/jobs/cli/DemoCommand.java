package io.daair.jobs.cli;

import com.typesafe.config.Config;
import io.daair.jobs.demo.Demo;
import io.daair.jobs.spark.SparkSessions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair demo}: the main job on its embedded default. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The whole pipeline on the bundled sample photos, on Spark local mode: prepare patches of five "
                    + "degradations, train with parameter averaging over two local workers, evaluate on the held-out "
                    + "photos, and write an HTML report (its path is printed last). Settings: conf/demo.conf."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair demo",
            "  daair demo --steps 3000 --preset small      (longer, larger)",
            "  daair demo --work /tmp/daair-demo --set data.patch.per-image=8"
        })
final class DemoCommand extends BaseCommand {

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Folder for photos, patches, run and report: a new or empty folder, or an earlier demo's"
                    + " (it holds _daair_demo.json; its run and patches are replaced) (default: ${DEFAULT-VALUE})",
            defaultValue = "daair-demo")
    Path work;

    @Option(names = "--steps", description = "Training steps (daair.train.steps)")
    Long steps;

    @Option(names = "--preset", description = "tiny, small or paper (daair.net.preset)")
    String preset;

    @Override
    protected Config commandDefaults() {
        return Demo.defaults();
    }

    @Override
    protected List<String> optionOverrides() {
        List<String> o = overrides();
        o.addAll(Demo.workKeys(work));
        putIfSet(o, "daair.train.steps", steps);
        putIfSet(o, "daair.net.preset", preset);
        return o;
    }

    @Override
    protected void run() throws Exception {
        Demo.Plan plan = Demo.Plan.of(settings().config());
        Demo.claimWork(work);
        Demo.run(SparkSessions.getOrCreate("daair demo"), plan, work, out());
    }
}
