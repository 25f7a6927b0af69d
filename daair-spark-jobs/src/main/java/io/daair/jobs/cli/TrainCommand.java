package io.daair.jobs.cli;

import picocli.CommandLine.Command;

/** {@code daair train}: Train DaAIR on Spark with parameter averaging over the prepared patches. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train DaAIR on Spark with parameter averaging over the prepared patches.",
        footerHeading = "%nExamples:%n",
        footer = {"  daair train --patches file:///tmp/patches --run file:///tmp/run"})
final class TrainCommand extends BaseCommand {

    @Override
    protected void run() {
        settings();
        throw UserException.badState("'daair train' is not available in this build yet (issue #5)");
    }
}
