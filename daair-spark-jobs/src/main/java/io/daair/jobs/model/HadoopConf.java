package io.daair.jobs.model;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (with every {@code spark.hadoop.*} setting, S3A credentials included)
 * made serialisable, so executors open {@code hdfs://} and {@code s3a://} paths as the driver does. Its
 * {@code toString} shows no value. Not a record: it writes the configuration itself ({@code writeObject}).
 */
public final class HadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    public HadoopConf(Configuration conf) {
        this.conf = conf;
    }

    public Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException {
        conf = new Configuration(false);
        conf.readFields(in);
    }

    @Override
    public String toString() {
        return "HadoopConf[" + conf.size() + " keys]";
    }
}
