package io.daair.data.datasets;

import io.daair.data.UserPaths;
import io.daair.data.degrade.Degradation;
import io.daair.data.image.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Lists the {@link Sample}s of a {@link DatasetSource} from its folder layout (paths only, no pixels). A pair
 * layout whose images lack a partner fails with one {@link DatasetException} listing every offender. Sizes are
 * checked separately by {@link PairValidator} (it reads the file headers).
 */
public final class DatasetReader {

    private static final Pattern RAIN = Pattern.compile("(no)?rain-(.+)");
    private static final List<String> RESIDE_CLEAN_FOLDERS = List.of("clear", "gt", "GT");

    private final ImageStore store;

    public DatasetReader(ImageStore store) {
        this.store = store;
    }

    /** Every sample of {@code source}, sorted by id (then degradation and sigma). */
    public List<Sample> read(DatasetSource source) throws IOException {
        Path root = UserPaths.parse("dataset '" + source.name() + "' root", source.root());
        return switch (source.layout()) {
            case CLEAN -> clean(source, root);
            case RAIN100L -> rain100L(source, root);
            case RESIDE -> reside(source, root);
            case GOPRO -> siblingFolders(source, root, "blur", "sharp");
            case LOL -> siblingFolders(source, root, "low", "high");
            case PAIRED -> paired(
                    source, root, UserPaths.parse("dataset '" + source.name() + "' clean-root", source.cleanRoot()));
        };
    }

    /** Clean photos: one synthetic sample per image, degradation and (for noise) sigma. */
    private List<Sample> clean(DatasetSource source, Path root) throws IOException {
        List<Path> images = images(root, source);
        if (images.isEmpty()) {
            throw new DatasetException(
                    "dataset '" + source.name() + "': no images (" + String.join(", ", ImageStore.IMAGE_EXTENSIONS)
                            + ") under " + root,
                    List.of());
        }
        List<Sample> out = new ArrayList<>();
        for (Path p : images) {
            String id = relative(root, p);
            for (Degradation d : source.degradations()) {
                if (d == Degradation.NOISE) {
                    for (double sigma : source.sigmas()) {
                        out.add(Sample.synthetic(source.name(), id, d, p.toString(), sigma));
                    }
                } else {
                    out.add(Sample.synthetic(source.name(), id, d, p.toString(), 0));
                }
            }
        }
        return out;
    }

    /** Rain100L: {@code rain-N.*} pairs with {@code norain-N.*} anywhere under the root. */
    private List<Sample> rain100L(DatasetSource source, Path root) throws IOException {
        Map<String, Path> rainy = new TreeMap<>();
        Map<String, Path> clean = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path p : images(root, source)) {
            Matcher m = RAIN.matcher(baseName(p));
            if (!m.matches()) {
                continue;
            }
            Map<String, Path> side = m.group(1) == null ? rainy : clean;
            Path previous = side.put(m.group(2), p);
            if (previous != null) {
                problems.add(p + ": same number as " + previous);
            }
        }
        return matchPairs(source, root, rainy, clean, n -> "norain-" + n + ".*", problems);
    }

    /** RESIDE: {@code .../hazy/<id>_<A>_<beta>.*} pairs with {@code .../clear/<id>.*} (or {@code gt/}). */
    private List<Sample> reside(DatasetSource source, Path root) throws IOException {
        List<Sample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<Path, Map<String, Path>> cleanByFolder = new LinkedHashMap<>();
        for (Path hazy : images(root, source)) {
            if (!hazy.getParent().getName().equals("hazy")) {
                continue;
            }
            Path parent = hazy.getParent().getParent();
            Map<String, Path> clean = cleanByFolder.computeIfAbsent(parent, this::resideClean);
            String[] parts = baseName(hazy).split("_");
            Path partner = clean.get(parts[0]);
            if (partner == null) {
                problems.add(hazy + ": no clear/" + parts[0] + ".* (nor gt/" + parts[0] + ".*)");
                continue;
            }
            Map<String, Double> params = new LinkedHashMap<>();
            if (parts.length == 3) {
                try {
                    params.put("A", Double.parseDouble(parts[1]));
                    params.put("beta", Double.parseDouble(parts[2]));
                } catch (NumberFormatException e) {
                    problems.add(hazy + ": name is not <id>_<A>_<beta>");
                    continue;
                }
            }
            out.add(Sample.pair(
                            source.name(), relative(root, hazy), Degradation.HAZE, partner.toString(), hazy.toString())
                    .withFileParams(params));
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add(root + ": no images in a folder named hazy/");
        }
        return finish(source, out, problems);
    }

    private Map<String, Path> resideClean(Path parent) {
        Map<String, Path> byId = new TreeMap<>();
        for (String folder : RESIDE_CLEAN_FOLDERS) {
            Path dir = new Path(parent, folder);
            try {
                if (store.fileSystem(dir).exists(dir)) {
                    for (Path p : store.listImages(dir, false)) {
                        byId.put(baseName(p), p);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return byId;
    }

    /** GoPro and LOL: every folder named {@code degradedName} with a sibling {@code cleanName}, same file names. */
    private List<Sample> siblingFolders(DatasetSource source, Path root, String degradedName, String cleanName)
            throws IOException {
        Map<String, Path> degraded = new TreeMap<>();
        Map<String, Path> clean = new TreeMap<>();
        for (Path p : images(root, source)) {
            String folder = p.getParent().getName();
            if (folder.equals(degradedName) || folder.equals(cleanName)) {
                String key = relative(root, p.getParent().getParent()) + "/" + baseName(p);
                (folder.equals(degradedName) ? degraded : clean).put(key, p);
            }
        }
        if (degraded.isEmpty()) {
            throw new DatasetException(
                    "dataset '" + source.name() + "' (" + source.layout().id() + ") has no images in folders named "
                            + degradedName + "/ under " + root,
                    List.of());
        }
        return matchPairs(source, root, degraded, clean, k -> cleanName + "/" + k + ".*", new ArrayList<>());
    }

    /** Two folders, pairs matched by relative path without extension. */
    private List<Sample> paired(DatasetSource source, Path degradedRoot, Path cleanRoot) throws IOException {
        Map<String, Path> degraded = byRelativeBase(degradedRoot, source);
        Map<String, Path> clean = byRelativeBase(cleanRoot, source);
        return matchPairs(source, degradedRoot, degraded, clean, k -> cleanRoot + "/" + k + ".*", new ArrayList<>());
    }

    private Map<String, Path> byRelativeBase(Path root, DatasetSource source) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        for (Path p : images(root, source)) {
            String rel = relative(root, p);
            out.put(rel.substring(0, rel.lastIndexOf('.')), p);
        }
        return out;
    }

    /** Pairs degraded and clean by key; unmatched files on either side are offenders. */
    private List<Sample> matchPairs(
            DatasetSource source,
            Path root,
            Map<String, Path> degraded,
            Map<String, Path> clean,
            Function<String, String> expectedPartner,
            List<String> problems) {
        Degradation d = source.degradations().get(0);
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : degraded.entrySet()) {
            Path partner = clean.get(e.getKey());
            if (partner == null) {
                problems.add(e.getValue() + ": no clean partner " + expectedPartner.apply(e.getKey()));
            } else {
                out.add(Sample.pair(
                        source.name(),
                        relative(root, e.getValue()),
                        d,
                        partner.toString(),
                        e.getValue().toString()));
            }
        }
        for (Map.Entry<String, Path> e : clean.entrySet()) {
            if (!degraded.containsKey(e.getKey())) {
                problems.add(e.getValue() + ": clean image without a degraded partner");
            }
        }
        if (degraded.isEmpty() && problems.isEmpty()) {
            problems.add(root + ": no image pairs found for layout "
                    + source.layout().id());
        }
        return finish(source, out, problems);
    }

    private static List<Sample> finish(DatasetSource source, List<Sample> out, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new DatasetException(
                    "dataset '" + source.name() + "' (" + source.layout().id() + " at " + source.root()
                            + ") has unmatched or misnamed images; fix or remove them",
                    problems);
        }
        out.sort(java.util.Comparator.comparing(Sample::id));
        return out;
    }

    private List<Path> images(Path root, DatasetSource source) throws IOException {
        try {
            return store.listImages(root, true);
        } catch (java.io.FileNotFoundException e) {
            throw new DatasetException(
                    "dataset '" + source.name() + "': folder not found: " + root + " (check its root in the config)",
                    List.of());
        }
    }

    /** {@code p} relative to {@code root}, with '/' separators ("" for the root itself). */
    static String relative(Path root, Path p) {
        String r = root.toUri().getPath();
        String s = p.toUri().getPath();
        if (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return s.equals(r) ? "" : s.startsWith(r + "/") ? s.substring(r.length() + 1) : s;
    }

    static String baseName(Path p) {
        String n = p.getName();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
