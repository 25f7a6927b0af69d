package io.daair.jobs.train;

import java.util.Map;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binds a training task to the GPU Spark assigned it ({@code spark.task.resource.gpu.amount}, addresses
 * from the discovery script). Kubernetes and YARN show an executor only its own GPU, but a standalone
 * worker isolates nothing: without this every executor on a node would compute on device 0. ND4J's CPU
 * backend ignores the call; on this machine only the address parsing is tested (no GPU here).
 */
final class AssignedGpu {

    private AssignedGpu() {}

    /** Makes ND4J use, on this task thread, the first GPU Spark assigned to the running task, if any. */
    static void bindCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task != null) {
            ordinal(task.resourcesJMap())
                    .ifPresent(device -> Nd4j.getAffinityManager().unsafeSetDevice(device));
        }
    }

    /** The device ordinal of the first "gpu" address among a task's resources. */
    static Optional<Integer> ordinal(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return Optional.empty();
        }
        String address = gpu.addresses()[0];
        try {
            return Optional.of(Integer.parseInt(address.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned GPU address '" + address + "' to this task; daair needs"
                    + " CUDA device ordinals (0, 1, ...): make spark.executor.resource.gpu.discoveryScript print"
                    + " them, as Spark's getGpusResources.sh does");
        }
    }
}
