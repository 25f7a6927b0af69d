package io.daair.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class AssignedGpuTest {

    @Test
    void theFirstAssignedAddressIsTheDevice() {
        var gpus = new ResourceInformation("gpu", new String[] {"3", "1"});
        assertEquals(Optional.of(3), AssignedGpu.ordinal(Map.of("gpu", gpus)));
    }

    @Test
    void aTaskWithoutGpusKeepsTheDefaultDevice() {
        assertEquals(Optional.empty(), AssignedGpu.ordinal(Map.of()));
        var fpga = new ResourceInformation("fpga", new String[] {"0"});
        assertEquals(Optional.empty(), AssignedGpu.ordinal(Map.of("fpga", fpga)));
    }

    @Test
    void anAddressThatIsNoOrdinalIsRejectedWithTheFix() {
        var gpus = new ResourceInformation("gpu", new String[] {"GPU-5f2a"});
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> AssignedGpu.ordinal(Map.of("gpu", gpus)));
        assertTrue(e.getMessage().contains("'GPU-5f2a'"), e.getMessage());
        assertTrue(e.getMessage().contains("discoveryScript"), e.getMessage());
    }
}
