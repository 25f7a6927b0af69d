package io.daair.jobs.train;

import io.daair.data.fs.InFlightPaths;
import io.daair.nn.io.WeightsIo;
import io.daair.nn.train.LocalTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the trainer's weights as {@code model.safetensors} in the run directory, atomically. */
final class ModelExport {
    private ModelExport() {}

    static String writeSafetensors(LocalTrainer trainer, RunDirectory run) throws IOException {
        Path local = Files.createTempFile("daair-model", ".safetensors");
        InFlightPaths.add(local);
        try {
            WeightsIo.export(trainer.net(), local);
            run.writeAtomically(run.modelFile(), out -> Files.copy(local, out));
        } finally {
            Files.deleteIfExists(local);
            InFlightPaths.remove(local);
        }
        return run.modelFile().toString();
    }
}
