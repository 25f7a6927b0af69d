package io.daair.nn.ops;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes this JVM able to run, differentiate, copy and load graphs holding DaAIR's {@link JavaOp}s (the fused
 * {@link LayerNormOp}, {@link DepthwiseOp}, {@link GeluOp} and {@link SampleScaleOp} here, the routing pair registered by {@code ExpertRouting}); the classes that build graphs
 * with them and {@code Checkpoint} install them first.
 *
 * <p>ND4J 1.0.0-M2.1 has no public way to add an op, so this leans on two internals (read from the jar): SameDiff
 * executes custom ops through {@code Nd4j.getExecutioner().exec(op, context)}, whose native path needs an op
 * known to libnd4j ("Op name daair_dispatch is missing!"), so Nd4j's private static {@code OP_EXECUTIONER_INSTANCE}
 * is replaced by a proxy that computes Java ops and hands everything else to the backend's executioner; and graph
 * copies (every gradient build) and loads find op classes by name in {@code ImportClassMapping.getOpNameMapping()}
 * ("No op known for hash: 0 and name daair_dispatch" without it). No JVM flag is needed, Spark executors
 * included, since they run this code before building or loading a graph.
 */
public final class JavaOps {

    private static boolean installed;

    private JavaOps() {}

    /** Idempotent; fails with the reason if this ND4J has no field to install into (another version). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        register(
                new LayerNormOp(),
                new LayerNormOp.Backward(),
                new DepthwiseOp(),
                new DepthwiseOp.Backward(),
                new GeluOp(),
                new GeluOp.Backward(),
                new SampleScaleOp(),
                new SampleScaleOp.Backward());
        try {
            Field f = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
            f.setAccessible(true);
            f.set(null, javaOpExecutioner(Nd4j.getExecutioner()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot install DaAIR's Java ops into ND4J "
                            + Nd4j.class.getPackage().getImplementationVersion() + " (written for 1.0.0-M2.1): " + e,
                    e);
        }
        installed = true;
    }

    /** Makes graph copies and loads find these ops by name (an op of each class, built with no arguments). */
    public static void register(JavaOp... prototypes) {
        for (JavaOp op : prototypes) {
            ImportClassMapping.getOpNameMapping().put(op.opName(), op);
        }
    }

    private static OpExecutioner javaOpExecutioner(OpExecutioner backend) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("exec") && args.length == 2 && args[0] instanceof JavaOp op) {
                OpContext oc = (OpContext) args[1];
                op.compute(oc.getInputArrays(), oc.getOutputArrays());
                return oc.getOutputArrays().toArray(new INDArray[0]);
            }
            try {
                return method.invoke(backend, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (OpExecutioner) Proxy.newProxyInstance(
                OpExecutioner.class.getClassLoader(), new Class<?>[] {OpExecutioner.class}, handler);
    }
}
