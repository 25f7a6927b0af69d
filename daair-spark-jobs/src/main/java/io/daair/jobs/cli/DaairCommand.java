package io.daair.jobs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code daair} command: the entry point of {@code bin/daair} and of {@code spark-submit --class
 * io.daair.jobs.cli.DaairCommand daair.jar <command> ...}. Without a Spark master (no
 * spark-submit) the jobs run on Spark local mode.
 */
@Command(
        name = "daair",
        mixinStandardHelpOptions = true,
        versionProvider = DaairCommand.Version.class,
        description = "DaAIR all-in-one image restoration (noise, rain, haze, blur, low light) on Apache Spark.",
        subcommands = {
            PrepareCommand.class,
            TrainCommand.class,
            RestoreCommand.class,
            EvaluateCommand.class,
            InfoCommand.class,
            DoctorCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  daair demo                                   the whole pipeline on the bundled photos",
            "  daair info --preset paper --degradations 5   parameter counts and GMACs",
            "  daair doctor                                 check the install: backend, memory, golden values",
            "  daair prepare --input /data/BSD400 --output hdfs:///daair/patches",
            "  daair train --conf conf/five-degradations.conf --patches hdfs:///daair/patches --run hdfs:///daair/runs/r1",
            "  daair restore --model model.safetensors --input s3a://bucket/in --output s3a://bucket/out",
            "",
            "Exit codes: 0 ok, 2 bad input or configuration, 3 bad state (e.g. missing checkpoint),",
            "4 done but some items failed (listed in the restore manifest or the evaluate report), 1 internal error,",
            "130 interrupted (Ctrl-C: temporary files of unfinished outputs are removed)."
        })
public final class DaairCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (daair --help lists them)");
    }

    /** The command line with daair's exit-code policy; tests inject their own out/err writers. */
    /** Wide enough for the longest example: picocli would otherwise break a URI in two at column 80. */
    private static final int HELP_WIDTH = 130;

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new DaairCommand());
        cmd.setUsageHelpWidth(HELP_WIDTH);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(new Failures());
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("daair: " + e.getMessage());
            e.getCommandLine().getErr().println("(see: daair " + commandPath(e.getCommandLine()) + "--help)");
            return ExitCode.BAD_INPUT.code;
        });
        return cmd;
    }

    public static void main(String[] args) {
        QuietStdout.install();
        Interruption.install(System.err);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) { // picocli hands only Exceptions to Failures
            err.println("daair: " + Failures.message(e, ExitCode.BAD_STATE));
            code = ExitCode.BAD_STATE.code;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static String commandPath(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        String rest = qualified.startsWith("daair")
                ? qualified.substring("daair".length()).trim()
                : qualified;
        return rest.isEmpty() ? "" : rest + " ";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DaairCommand.class.getPackage().getImplementationVersion();
            return new String[] {"daair " + (v == null ? "(development build)" : v)};
        }
    }
}
