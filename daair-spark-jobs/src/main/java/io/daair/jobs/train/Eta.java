package io.daair.jobs.train;

/**
 * The time a training run has left, as printed after each round. The first round of a run carries its
 * start-up (Spark session, broadcast, JIT, native libraries), often ten times a later round, so it gives
 * no estimate; later ones extrapolate the pace of the last round.
 */
final class Eta {

    private Eta() {}

    /**
     * @param roundsThisRun rounds done by this run (a resumed run starts again at 1)
     * @param lastRoundSeconds wall time of the round just done
     * @param remainingRounds rounds still to do
     */
    static String text(long roundsThisRun, double lastRoundSeconds, long remainingRounds) {
        if (roundsThisRun < 2) {
            return "after round 2";
        }
        return TrainJob.formatDuration(lastRoundSeconds * remainingRounds);
    }
}
