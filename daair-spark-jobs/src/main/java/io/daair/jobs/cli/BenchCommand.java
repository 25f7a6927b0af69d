package io.daair.jobs.cli;

import picocli.CommandLine.Command;

/** {@code daair bench}: Measure training and inference speed and memory (nn, data, train, restore). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure training and inference speed and memory (nn, data, train, restore).",
        footerHeading = "%nExamples:%n",
        footer = {"  daair bench nn --preset tiny"})
final class BenchCommand extends BaseCommand {

    @Override
    protected void run() {
        settings();
        throw UserException.badState("'daair bench' is not available in this build yet (issue #3)");
    }
}
