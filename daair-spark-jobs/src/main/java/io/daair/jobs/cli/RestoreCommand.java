package io.daair.jobs.cli;

import picocli.CommandLine.Command;

/** {@code daair restore}: Restore every image under a folder (file, hdfs, s3a) with a trained model. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Restore every image under a folder (file, hdfs, s3a) with a trained model.",
        footerHeading = "%nExamples:%n",
        footer = {"  daair restore --model model.safetensors --input s3a://bucket/in --output s3a://bucket/out"})
final class RestoreCommand extends BaseCommand {

    @Override
    protected void run() {
        settings();
        throw UserException.badState("'daair restore' is not available in this build yet (issue #6)");
    }
}
