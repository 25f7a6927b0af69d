package io.daair.jobs.cli;

import picocli.CommandLine.Command;

/** {@code daair prepare}: Crop training patches from image datasets, degrade them, and write them as Parquet. */
@Command(
        name = "prepare",
        mixinStandardHelpOptions = true,
        description = "Crop training patches from image datasets, degrade them, and write them as Parquet.",
        footerHeading = "%nExamples:%n",
        footer = {"  daair prepare --input samples --output file:///tmp/patches"})
final class PrepareCommand extends BaseCommand {

    @Override
    protected void run() {
        settings();
        throw UserException.badState("'daair prepare' is not available in this build yet (issue #4)");
    }
}
