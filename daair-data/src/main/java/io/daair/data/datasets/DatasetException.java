package io.daair.data.datasets;

import java.util.List;

/** A dataset folder that does not have the expected layout or whose pairs do not match; lists the offenders. */
public final class DatasetException extends RuntimeException {

    /** How many offenders a message lists before "and N more". */
    public static final int LISTED = 20;

    private final List<String> offenders;

    public DatasetException(String message, List<String> offenders) {
        super(format(message, offenders));
        this.offenders = List.copyOf(offenders);
    }

    /** Every offender (file and problem), not only the ones in the message. */
    public List<String> offenders() {
        return offenders;
    }

    private static String format(String message, List<String> offenders) {
        if (offenders.isEmpty()) {
            return message;
        }
        StringBuilder sb =
                new StringBuilder(message).append(" (").append(offenders.size()).append("):");
        offenders.stream().limit(LISTED).forEach(o -> sb.append("\n  ").append(o));
        if (offenders.size() > LISTED) {
            sb.append("\n  ... and ").append(offenders.size() - LISTED).append(" more");
        }
        return sb.toString();
    }
}
