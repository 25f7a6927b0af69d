package io.daair.jobs.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** -v / -q: log levels for daair and for the libraries around it (Spark, Hadoop, ND4J). */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose, boolean quiet) {
        if (verbose) {
            Configurator.setLevel("io.daair", Level.DEBUG);
            Configurator.setRootLevel(Level.INFO);
        } else if (quiet) {
            Configurator.setLevel("io.daair", Level.WARN);
            Configurator.setRootLevel(Level.ERROR);
        }
    }
}
