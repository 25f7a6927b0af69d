package io.daair.jobs.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.daair.data.samples.SamplePhotos;
import io.daair.jobs.evaluate.EvaluateJob;
import io.daair.jobs.evaluate.EvaluateSpec;
import io.daair.jobs.prepare.PrepareJob;
import io.daair.jobs.prepare.PrepareResult;
import io.daair.jobs.prepare.PrepareSpec;
import io.daair.jobs.train.TrainJob;
import io.daair.jobs.train.TrainSpec;
import io.daair.nn.config.NetConfig;
import io.daair.nn.config.OptimConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The whole pipeline on one machine, on the bundled sample photos: extract them, {@code prepare}
 * patches of all five degradations from the training photos, {@code train} with parameter
 * averaging over local workers, {@code evaluate} on the held-out photos under each synthetic
 * degradation, and write the HTML report. Its settings are conf/demo.conf (bundled). It works only in a new
 * or empty folder or an earlier demo's ({@link WorkFolder}), and validates every setting before it starts.
 */
public final class Demo {
    /** conf/demo.conf, bundled in the jar: the demo's defaults over reference.conf. */
    public static Config defaults() {
        return ConfigFactory.parseResources(Demo.class, "demo.conf");
    }

    /** The configuration keys the demo sets from its work folder. */
    public static List<String> workKeys(Path work) {
        Path abs = work.toAbsolutePath().normalize();
        String train = abs.resolve("photos").resolve("train").toUri().toString();
        String heldout = abs.resolve("photos").resolve("heldout").toUri().toString();
        return List.of(
                "daair.data.sources=[{name = samples, layout = clean, root = \"" + train
                        + "\", degradations = [noise, rain, haze, blur, lowlight]}]",
                "daair.data.prepare.output=\"" + abs.resolve("patches").toUri() + "\"",
                "daair.data.prepare.overwrite=true",
                "daair.train.patches=\"" + abs.resolve("patches").toUri() + "\"",
                "daair.train.run=\"" + abs.resolve("run").toUri() + "\"",
                "daair.evaluate.model=\"" + abs.resolve("run").toUri() + "\"",
                "daair.evaluate.run=\"" + abs.resolve("run").toUri() + "\"",
                "daair.evaluate.benchmarks=[\"synthetic=" + heldout + "\"]",
                "daair.evaluate.report=\"" + abs.resolve("report").toUri() + "\"");
    }

    /**
     * Every setting of the three steps, read and validated before the demo touches anything.
     *
     * @param prepare the patches to cut
     * @param train the training run
     * @param net the network
     * @param optim the optimiser
     * @param evaluate the evaluation and its report
     */
    public record Plan(PrepareSpec prepare, TrainSpec train, NetConfig net, OptimConfig optim, EvaluateSpec evaluate) {
        /** Reads every step's settings from {@code config}; a bad one fails here, naming its key. */
        public static Plan of(Config config) {
            return new Plan(
                    PrepareSpec.fromConfig(config),
                    TrainSpec.fromConfig(config),
                    NetConfig.fromConfig(config),
                    OptimConfig.fromConfig(config),
                    EvaluateSpec.fromConfig(config, false));
        }
    }

    private Demo() {}

    /**
     * Takes the work folder for the demo before any work: refuses a folder that is neither new, empty nor an
     * earlier demo's (nothing is changed then), and clears an earlier demo's training run.
     */
    public static void claimWork(Path work) throws IOException {
        WorkFolder.claim(work);
        WorkFolder.clear(work, "run");
    }

    /** Runs the pipeline in a work folder taken with {@link #claimWork}; returns the path of report.html. */
    public static String run(SparkSession spark, Plan plan, Path work, PrintWriter console) throws IOException {
        long start = System.nanoTime();
        Path photos = work.resolve("photos");
        for (SamplePhotos.Split split : SamplePhotos.Split.values()) {
            SamplePhotos.extract(split, photos.resolve(split.folder()));
        }
        console.println("demo 1/3 prepare: patches of five degradations from " + photos.resolve("train"));
        PrepareResult prepared = PrepareJob.run(spark, plan.prepare(), console::println);
        console.println(prepared.summary());

        console.println("demo 2/3 train: parameter averaging on Spark local mode");
        TrainJob.Result trained = new TrainJob(spark, plan.train(), plan.net(), plan.optim(), console).run();

        console.println("demo 3/3 evaluate: held-out photos under each degradation");
        EvaluateJob.Result evaluated = EvaluateJob.run(spark, plan.evaluate(), console);
        console.printf(
                "demo: done in %s (%d training steps); open the report:%n",
                TrainJob.formatDuration((System.nanoTime() - start) / 1e9), trained.totalSteps());
        console.println(evaluated.reportHtml());
        return evaluated.reportHtml();
    }
}
