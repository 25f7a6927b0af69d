package io.daair.jobs.cli;

import io.daair.jobs.spark.SparkSessions;
import io.daair.jobs.train.TrainJob;
import io.daair.jobs.train.TrainSpec;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daair train}: parameter-averaging training on Spark. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train DaAIR on Spark with parameter averaging over the patches of 'daair prepare'. Checkpoints, "
                    + "metrics.jsonl and model.safetensors go to the run directory (file://, hdfs://, s3a://)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair train --patches file:///tmp/patches --run file:///tmp/run --preset tiny --steps 200",
            "  daair train --conf conf/five-degradations.conf --patches hdfs:///daair/patches --run hdfs:///daair/runs/r1",
            "  daair train --conf conf/five-degradations.conf --run hdfs:///daair/runs/r1 --resume   (continue)",
            "  daair train --patches file:///tmp/patches --run file:///tmp/run --preset tiny --steps 200 --overwrite",
            "  spark-submit --class io.daair.jobs.cli.DaairCommand daair.jar train --conf five-degradations.conf ..."
        })
final class TrainCommand extends BaseCommand {

    @Option(names = "--patches", paramLabel = "URI", description = "Parquet patches (daair.train.patches)")
    String patches;

    @Option(names = "--run", paramLabel = "URI", description = "Run directory (daair.train.run)")
    String run;

    @Option(names = "--preset", description = "tiny, small or paper (daair.net.preset)")
    String preset;

    @Option(names = "--degradations", description = "3 or 5 (daair.net.degradations)")
    Integer degradations;

    @Option(names = "--workers", description = "Parameter-averaging workers (daair.train.workers)")
    Integer workers;

    @Option(names = "--steps", description = "Optimizer steps of the run, instead of epochs (daair.train.steps)")
    Long steps;

    @Option(names = "--epochs", description = "Epochs over the patches (daair.train.epochs)")
    Integer epochs;

    @Option(
            names = "--resume",
            description = "Continue the run in the run directory from its latest valid checkpoint (with the settings"
                    + " it was started with)")
    boolean resume;

    @Option(
            names = "--overwrite",
            description = "Replace the run in the run directory: its checkpoints, metrics.jsonl, model.safetensors and"
                    + " run.json are deleted first (nothing else). Without --resume or --overwrite a run directory"
                    + " that holds a run is refused.")
    boolean overwrite;

    @Override
    protected List<String> optionOverrides() {
        List<String> o = overrides();
        putIfSet(o, "daair.train.patches", patches);
        putIfSet(o, "daair.train.run", run);
        putIfSet(o, "daair.net.preset", preset);
        putIfSet(o, "daair.net.degradations", degradations);
        putIfSet(o, "daair.train.workers", workers);
        putIfSet(o, "daair.train.steps", steps);
        putIfSet(o, "daair.train.epochs", epochs);
        if (resume) {
            o.add("daair.train.resume=true");
        }
        if (overwrite) {
            o.add("daair.train.overwrite=true");
        }
        return o;
    }

    @Override
    protected void run() throws Exception {
        Settings settings = settings();
        TrainSpec spec = TrainSpec.fromConfig(settings.config());
        NetConfig net = NetConfig.fromConfig(settings.config());
        OptimConfig optim = OptimConfig.fromConfig(settings.config());
        SettingsAgreement.checkTraining(settings, net);
        TrainJob.Result result = new TrainJob(SparkSessions.getOrCreate("daair train"), spec, net, optim, out()).run();
        out().println("model: " + result.model());
    }
}
