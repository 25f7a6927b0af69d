package io.daair.jobs.cli;

import picocli.CommandLine.Command;

/** {@code daair evaluate}: Evaluate a model on benchmark datasets and write a report (JSON, Markdown, HTML). */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluate a model on benchmark datasets and write a report (JSON, Markdown, HTML).",
        footerHeading = "%nExamples:%n",
        footer = {"  daair evaluate --model model.safetensors --benchmark bsd68=/data/BSD68 --report /tmp/report"})
final class EvaluateCommand extends BaseCommand {

    @Override
    protected void run() {
        settings();
        throw UserException.badState("'daair evaluate' is not available in this build yet (issue #6)");
    }
}
