package io.daair.data.image;

import io.daair.data.fs.InFlightPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Reads and writes images through Hadoop's {@link FileSystem} API, so {@code file://}, {@code hdfs://} and
 * {@code s3a://} URIs (and plain local paths) all work.
 *
 * <p>Writes go to a hidden temporary name ({@code .name.tmp-<uuid>}) in the target folder, then are renamed,
 * so a reader never sees half a file. An existing target is replaced (deleted just before the rename).
 *
 * <p>Images are decoded within a pixel budget ({@link ImageCodec#MAX_PIXELS_KEY}), checked from each header.
 *
 * <p>The Hadoop {@link Configuration} comes from the caller (Spark's {@code hadoopConfiguration()} on the
 * driver, a fresh one on executors, or the default for local use); this class holds no other state.
 */
public final class ImageStore {

    /** File name extensions (lower case, no dot) that {@link #listImages} returns. */
    public static final Set<String> IMAGE_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "bmp", "ppm", "pgm", "pnm", "tif", "tiff", "webp");

    private final Configuration conf;
    private final long maxPixels;

    /** A store that decodes images of up to {@link ImageCodec#DEFAULT_MAX_PIXELS} pixels. */
    public ImageStore(Configuration conf) {
        this(conf, ImageCodec.DEFAULT_MAX_PIXELS);
    }

    /** A store that refuses, from the header, images of more than {@code maxPixels} pixels. */
    public ImageStore(Configuration conf, long maxPixels) {
        this.conf = conf;
        this.maxPixels = maxPixels;
    }

    /** A store on a default Hadoop configuration (local files, or whatever core-site.xml says). */
    public static ImageStore local() {
        return new ImageStore(new Configuration());
    }

    /** The Hadoop configuration this store resolves paths with. */
    public Configuration conf() {
        return conf;
    }

    /** The {@link FileSystem} that holds {@code path}. */
    public FileSystem fileSystem(Path path) throws IOException {
        return path.getFileSystem(conf);
    }

    /**
     * The file system to read and write {@code path} with: on local disk the raw one, so no {@code .crc} files
     * appear and names with a {@code :} work (a checksum file name {@code .x:y.png.crc} is no valid Hadoop path).
     */
    public FileSystem directFileSystem(Path path) throws IOException {
        FileSystem fs = fileSystem(path);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** Reads and decodes one image. */
    public RgbImage read(String uri) throws IOException {
        return read(new Path(uri));
    }

    /**
     * Reads and decodes one image; a missing file is a {@link FileNotFoundException} naming it, one above the
     * pixel budget an {@link ImageDecodeException}.
     */
    public RgbImage read(Path path) throws IOException {
        return ImageCodec.decode(readBytes(path), path.toString(), maxPixels);
    }

    /** Width and height from the file's header. */
    public int[] readSize(Path path) throws IOException {
        try (InputStream in = fileSystem(path).open(path)) {
            return ImageCodec.readSize(in, path.toString());
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("image file not found: " + path);
        }
    }

    /** The whole file. */
    public byte[] readBytes(Path path) throws IOException {
        FileSystem fs = directFileSystem(path);
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("image file not found: " + path);
        }
    }

    /** Writes an 8-bit PNG atomically (temporary name, then rename). */
    public void writePng(RgbImage image, Path target) throws IOException {
        writeBytes(ImageCodec.encodePng(image), target);
    }

    /** Writes a 16-bit PNG atomically. */
    public void writePng16(RgbImage image, Path target) throws IOException {
        writeBytes(ImageCodec.encodePng16(image), target);
    }

    /** Writes {@code bytes} to a temporary name beside {@code target}, then renames it to {@code target}. */
    public void writeBytes(byte[] bytes, Path target) throws IOException {
        FileSystem fs = directFileSystem(target);
        Path parent = target.getParent();
        if (parent != null) {
            fs.mkdirs(parent);
        }
        Path tmp = new Path(parent, child("." + target.getName() + ".tmp-" + UUID.randomUUID()));
        InFlightPaths.add(fs, tmp);
        try {
            try (OutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
            InFlightPaths.remove(tmp);
        }
    }

    /** A file name as a relative path, every character literal ({@code new Path("x:y")} would be scheme x). */
    public static Path child(String name) {
        return new Path(null, null, name);
    }

    /**
     * Image files under {@code dir} (by extension, case-insensitive), sorted by path; hidden files (".", "_")
     * are skipped.
     */
    public List<Path> listImages(Path dir, boolean recursive) throws IOException {
        FileSystem fs = fileSystem(dir);
        if (!fs.exists(dir)) {
            throw new FileNotFoundException("image folder not found: " + dir);
        }
        List<Path> out = new ArrayList<>();
        RemoteIterator<? extends FileStatus> it = recursive ? fs.listFiles(dir, true) : listStatus(fs, dir);
        while (it.hasNext()) {
            FileStatus st = it.next();
            if (st.isFile() && isImageName(st.getPath().getName())) {
                out.add(st.getPath());
            }
        }
        out.sort(null);
        return out;
    }

    /** Whether a file name has one of {@link #IMAGE_EXTENSIONS} and is not hidden. */
    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0
                && !name.startsWith(".")
                && !name.startsWith("_")
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static RemoteIterator<FileStatus> listStatus(FileSystem fs, Path dir) throws IOException {
        FileStatus[] all = fs.listStatus(dir);
        return new RemoteIterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < all.length;
            }

            @Override
            public FileStatus next() {
                return all[i++];
            }
        };
    }
}
