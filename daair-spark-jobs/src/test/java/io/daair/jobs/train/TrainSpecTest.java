package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** {@link TrainSpec} rejects sizes whose products the job cannot count, naming the key and the value. */
class TrainSpecTest {

    private static Config config(String settings) {
        return ConfigFactory.parseString(
                        "daair.train { patches = \"file:///p\", run = \"file:///r\"\n" + settings + " }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    @Test
    void aGlobalBatchBeyondAnIntIsRejectedNamingBatchAndWorkers() {
        ConfigException.BadValue e = assertThrows(
                ConfigException.BadValue.class,
                () -> TrainSpec.fromConfig(config("workers = 2, batch-size-per-worker = 1500000000")));
        assertTrue(e.getMessage().contains("daair.train.batch-size-per-worker"), e.getMessage());
        assertTrue(e.getMessage().contains("1500000000") && e.getMessage().contains("workers = 2"), e.getMessage());
    }

    @Test
    void moreStepsThanTheScheduleCanCountAreRejectedNamingTheValue() {
        ConfigException.BadValue e =
                assertThrows(ConfigException.BadValue.class, () -> TrainSpec.fromConfig(config("steps = 3000000000")));
        assertTrue(
                e.getMessage().contains("daair.train.steps") && e.getMessage().contains("3000000000"), e.getMessage());
    }

    @Test
    void theLargestCountableSizesAreAccepted() {
        TrainSpec spec =
                TrainSpec.fromConfig(config("workers = 1, batch-size-per-worker = 2147483647, steps = 2147483647"));
        assertEquals(Integer.MAX_VALUE, spec.batchSizePerWorker());
        assertEquals(Integer.MAX_VALUE, spec.steps());
    }

    @Test
    void epochsWhoseStepsOverflowAnIntAreBadInputNamingTheKey() {
        TrainSpec spec = TrainSpec.fromConfig(config("workers = 2, batch-size-per-worker = 4, epochs = 2000000000"));
        io.daair.jobs.cli.UserException e =
                assertThrows(io.daair.jobs.cli.UserException.class, () -> TrainJob.totalSteps(spec, 800));
        assertTrue(e.getMessage().contains("daair.train.epochs = 2000000000"), e.getMessage());
        assertEquals(
                1000,
                TrainJob.totalSteps(
                        TrainSpec.fromConfig(config("workers = 2, batch-size-per-worker = 4, epochs = 10")), 800));
    }

    @Test
    void aMinibatchLargerThanOneArrayIsBadInputNamingTheBatchSize() {
        TrainSpec spec = TrainSpec.fromConfig(config("workers = 1, batch-size-per-worker = 50000"));
        TrainingPatch patch = new TrainingPatch(0, 128, 128, new byte[3 * 128 * 128], new byte[3 * 128 * 128]);
        io.daair.jobs.cli.UserException e =
                assertThrows(io.daair.jobs.cli.UserException.class, () -> TrainJob.checkMinibatchFits(spec, patch));
        assertTrue(e.getMessage().contains("daair.train.batch-size-per-worker = 50000"), e.getMessage());
        TrainJob.checkMinibatchFits(TrainSpec.fromConfig(config("workers = 1, batch-size-per-worker = 8")), patch);
    }
}
