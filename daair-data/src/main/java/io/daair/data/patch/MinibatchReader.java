package io.daair.data.patch;

import io.daair.data.degrade.Degradation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Turns a stream of {@link PatchRecord}s into {@link Minibatch}es, holding only the rows of the next batch (plus
 * a bounded look-ahead in the stratified single-stream mode), so a Spark partition is never loaded whole.
 *
 * <p><b>Stratified</b>: every batch's slots are dealt to the degradations so that, counted from the first batch,
 * each degradation {@code d} has had {@code round(p_d * slots)} slots, give or take one: slot after slot goes to
 * the degradation furthest below its share {@code p_d * slotsSoFar - taken_d} (ties to the lower label). With
 * the paper's mix and batch 32 every batch holds every degradation. Rows come either from one iterator per
 * degradation (the Parquet partitions read separately: no buffering) or from one mixed iterator, buffered per
 * degradation up to {@code maxBuffered} rows; an input so unmixed that this bound is hit is an error (it would
 * mean loading the data to stratify it). The stream ends when a degradation runs out; rows left over are counted
 * by {@link #dropped()}.
 *
 * <p><b>Sequential</b>: rows in input order, for evaluation; the last batch may be smaller unless
 * {@code dropLast}.
 */
public final class MinibatchReader implements Iterator<Minibatch> {

    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_FLOAT[i] = i / 255f;
        }
    }

    private final int batchSize;
    private final Map<Degradation, Double> proportions;
    private final Map<Degradation, ArrayDeque<PatchRecord>> queues = new EnumMap<>(Degradation.class);
    private final Map<Degradation, Iterator<PatchRecord>> perClass;
    private final Iterator<PatchRecord> mixed;
    private final int maxBuffered;
    private final boolean dropLast;
    private final Map<Degradation, Long> taken = new EnumMap<>(Degradation.class);
    private long slots;
    private int buffered;
    private long dropped;
    private Minibatch next;
    private boolean done;

    private MinibatchReader(
            int batchSize,
            Map<Degradation, Double> proportions,
            Map<Degradation, Iterator<PatchRecord>> perClass,
            Iterator<PatchRecord> mixed,
            int maxBuffered,
            boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.proportions = proportions;
        this.perClass = perClass;
        this.mixed = mixed;
        this.maxBuffered = maxBuffered;
        this.dropLast = dropLast;
        if (proportions != null) {
            for (Degradation d : proportions.keySet()) {
                queues.put(d, new ArrayDeque<>());
                taken.put(d, 0L);
            }
        }
    }

    /** Rows in input order. */
    public static MinibatchReader sequential(Iterator<PatchRecord> rows, int batchSize, boolean dropLast) {
        return new MinibatchReader(batchSize, null, null, rows, 0, dropLast);
    }

    /** Stratified from one iterator per degradation (each may be a filtered read of one Parquet partition). */
    public static MinibatchReader stratified(
            Map<Degradation, Iterator<PatchRecord>> streams, Map<Degradation, Double> proportions, int batchSize) {
        if (!streams.keySet().equals(proportions.keySet())) {
            throw new IllegalArgumentException(
                    "streams " + streams.keySet() + " and proportions " + proportions.keySet() + " differ");
        }
        return new MinibatchReader(batchSize, normalise(proportions), new EnumMap<>(streams), null, 0, true);
    }

    /** Stratified from one mixed iterator, buffering at most {@code maxBuffered} rows in total. */
    public static MinibatchReader stratified(
            Iterator<PatchRecord> rows, Map<Degradation, Double> proportions, int batchSize, int maxBuffered) {
        if (maxBuffered < batchSize) {
            throw new IllegalArgumentException("maxBuffered " + maxBuffered + " < batch size " + batchSize);
        }
        return new MinibatchReader(batchSize, normalise(proportions), null, rows, maxBuffered, true);
    }

    /** Proportions from per-degradation counts (e.g. a {@code groupBy(label).count()} of the dataset). */
    public static Map<Degradation, Double> proportions(Map<Degradation, Long> counts) {
        Map<Degradation, Double> p = new EnumMap<>(Degradation.class);
        counts.forEach((d, n) -> p.put(d, n.doubleValue()));
        return normalise(p);
    }

    /** Rows read but not used when the stream ended (stratified mode). */
    public long dropped() {
        return dropped;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = proportions == null ? nextSequential() : nextStratified();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public Minibatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Minibatch b = next;
        next = null;
        return b;
    }

    private Minibatch nextSequential() {
        List<PatchRecord> rows = new ArrayList<>(batchSize);
        while (rows.size() < batchSize && mixed.hasNext()) {
            rows.add(mixed.next());
        }
        if (rows.isEmpty() || (dropLast && rows.size() < batchSize)) {
            return null;
        }
        return assemble(rows);
    }

    private Minibatch nextStratified() {
        List<Degradation> plan = plan();
        Map<Degradation, Integer> need = new EnumMap<>(Degradation.class);
        plan.forEach(d -> need.merge(d, 1, Integer::sum));
        for (Map.Entry<Degradation, Integer> e : need.entrySet()) {
            if (!fill(e.getKey(), e.getValue())) {
                drainRest();
                return null;
            }
        }
        List<PatchRecord> rows = new ArrayList<>(batchSize);
        for (Degradation d : plan) {
            rows.add(queues.get(d).poll());
            taken.merge(d, 1L, Long::sum);
        }
        buffered -= batchSize;
        slots += batchSize;
        return assemble(rows);
    }

    /** The degradation of each slot of the next batch (not yet committed). */
    private List<Degradation> plan() {
        Map<Degradation, Long> t = new EnumMap<>(taken);
        List<Degradation> plan = new ArrayList<>(batchSize);
        for (int i = 1; i <= batchSize; i++) {
            long total = slots + i;
            Degradation best = null;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (Map.Entry<Degradation, Double> e : proportions.entrySet()) {
                double deficit = e.getValue() * total - t.get(e.getKey());
                if (deficit > bestDeficit + 1e-12) {
                    best = e.getKey();
                    bestDeficit = deficit;
                }
            }
            t.merge(best, 1L, Long::sum);
            plan.add(best);
        }
        return plan;
    }

    /** Makes sure {@code d}'s queue holds {@code n} rows; false when the input runs out first. */
    private boolean fill(Degradation d, int n) {
        ArrayDeque<PatchRecord> q = queues.get(d);
        while (q.size() < n) {
            if (perClass != null) {
                Iterator<PatchRecord> it = perClass.get(d);
                if (!it.hasNext()) {
                    return false;
                }
                q.add(check(it.next(), d));
                buffered++;
            } else {
                if (!mixed.hasNext()) {
                    return false;
                }
                PatchRecord r = mixed.next();
                ArrayDeque<PatchRecord> target = queues.get(r.degradation());
                if (target == null) {
                    throw new IllegalStateException("row of degradation "
                            + r.degradation().id() + " not in the proportions " + proportions.keySet() + ": " + r);
                }
                target.add(r);
                if (++buffered > maxBuffered) {
                    throw new IllegalStateException("stratified reader buffered " + maxBuffered + " rows waiting for "
                            + d.id() + " patches: the input is not mixed. Shuffle the rows (e.g. repartition by a"
                            + " random key) or read one stream per degradation partition.");
                }
            }
        }
        return true;
    }

    private void drainRest() {
        for (ArrayDeque<PatchRecord> q : queues.values()) {
            dropped += q.size();
            q.clear();
        }
        if (perClass != null) {
            perClass.values().forEach(it -> it.forEachRemaining(r -> dropped++));
        } else {
            mixed.forEachRemaining(r -> dropped++);
        }
    }

    private static PatchRecord check(PatchRecord r, Degradation expected) {
        if (r.degradation() != expected) {
            throw new IllegalStateException("stream of " + expected.id() + " returned a "
                    + r.degradation().id() + " patch: " + r);
        }
        return r;
    }

    /** Widens rows to NCHW floats; every row must have the first row's size. */
    private static Minibatch assemble(List<PatchRecord> rows) {
        int h = rows.get(0).height();
        int w = rows.get(0).width();
        int per = 3 * h * w;
        float[] clean = new float[rows.size() * per];
        float[] degraded = new float[rows.size() * per];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            PatchRecord r = rows.get(i);
            if (r.height() != h || r.width() != w) {
                throw new IllegalStateException("patch sizes differ within a minibatch: " + w + "x" + h + " and "
                        + r.width() + "x" + r.height() + " (" + r + ")");
            }
            widen(r.clean(), clean, i * per);
            widen(r.degraded(), degraded, i * per);
            labels[i] = r.label();
        }
        return new Minibatch(rows.size(), h, w, clean, degraded, labels);
    }

    private static void widen(byte[] src, float[] dst, int offset) {
        for (int i = 0; i < src.length; i++) {
            dst[offset + i] = TO_FLOAT[src[i] & 0xFF];
        }
    }

    private static Map<Degradation, Double> normalise(Map<Degradation, Double> p) {
        if (p.isEmpty()) {
            throw new IllegalArgumentException("proportions are empty");
        }
        double sum = p.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<Degradation, Double> out = new EnumMap<>(Degradation.class);
        p.forEach((d, v) -> {
            if (!(v > 0)) {
                throw new IllegalArgumentException("proportion of " + d.id() + " must be > 0, got " + v);
            }
            out.put(d, v / sum);
        });
        return out;
    }
}
