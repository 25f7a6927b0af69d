package io.daair.jobs.cli;

import picocli.CommandLine.Command;

/** {@code daair demo}: The whole pipeline on the bundled sample photos: prepare, train, evaluate, report. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "The whole pipeline on the bundled sample photos: prepare, train, evaluate, report.",
        footerHeading = "%nExamples:%n",
        footer = {"  daair demo"})
final class DemoCommand extends BaseCommand {

    @Override
    protected void run() {
        settings();
        throw UserException.badState("'daair demo' is not available in this build yet (issue #7)");
    }
}
