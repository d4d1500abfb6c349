package bitsweep.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ImageNet in the usual folder layout, {@code dataDir/train/<wnid>/*.JPEG} and
 * {@code dataDir/val/<wnid>/*.JPEG}. Classes are the sorted wnid folder names, which must be the
 * same in both splits when both exist (otherwise label indices would disagree). JPEGs are decoded
 * with ImageIO on every read, so {@link #read} is safe to call from several threads.
 * Training: random-resized crop to 224 plus horizontal flip; evaluation: shorter side resized to
 * 248, then the 224 centre crop (spec §6.7). Bilinear, antialiased when shrinking.
 */
public final class ImageNetDataset implements ImageDataset {

    private static final Logger LOG = LoggerFactory.getLogger(ImageNetDataset.class);
    static final int OUT = 224;
    static final int EVAL_RESIZE = 248;

    private final Path splitDir;
    private final List<String> classes;
    private final String[] files;    // path relative to splitDir
    private final int[] labels;
    private final DatasetInfo info;

    private ImageNetDataset(Path splitDir, List<String> classes, String[] files, int[] labels) {
        this.splitDir = splitDir;
        this.classes = List.copyOf(classes);
        this.files = files;
        this.labels = labels;
        DatasetInfo in = DatasetInfo.IMAGENET;
        this.info = classes.size() == in.numClasses() ? in
                : new DatasetInfo(in.name(), in.channels(), in.height(), in.width(), classes.size(), in.mean(), in.std());
    }

    public static ImageNetDataset open(Path dataDir, boolean train) throws IOException {
        String split = train ? "train" : "val";
        Path splitDir = dataDir.resolve(split);
        if (!Files.isDirectory(splitDir)) {
            throw new NoSuchFileException(splitDir.toString(), null,
                    "ImageNet " + split + " folder not found; expected " + dataDir
                            + "/{train,val}/<wnid>/*.JPEG");
        }
        List<String> classes = classFolders(splitDir);
        Path otherDir = dataDir.resolve(train ? "val" : "train");
        if (Files.isDirectory(otherDir)) {
            List<String> other = classFolders(otherDir);
            if (!other.equals(classes)) {
                List<String> missing = new ArrayList<>(classes);
                missing.removeAll(other);
                List<String> extra = new ArrayList<>(other);
                extra.removeAll(classes);
                throw new IOException(otherDir + ": class folders differ from " + splitDir
                        + " (" + classes.size() + " vs " + other.size() + " classes; missing "
                        + head(missing) + ", extra " + head(extra) + "); expected the same wnid folders in train and val");
            }
        }
        List<String> names = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = splitDir.resolve(classes.get(c));
            List<String> images;
            try (Stream<Path> s = Files.list(classDir)) {
                images = s.filter(Files::isRegularFile)
                        .map(p -> p.getFileName().toString())
                        .filter(ImageNetDataset::isJpegName)
                        .sorted()
                        .toList();
            }
            if (images.isEmpty()) {
                throw new IOException(classDir + ": class folder holds no images; expected *.JPEG files");
            }
            for (String name : images) {
                names.add(classes.get(c) + "/" + name);
                labelList.add(c);
            }
        }
        LOG.info("ImageNet {}: {} images in {} classes from {}", split, names.size(), classes.size(), splitDir);
        return new ImageNetDataset(splitDir, classes, names.toArray(String[]::new),
                labelList.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String head(List<String> names) {
        return names.size() <= 5 ? names.toString() : names.subList(0, 5) + "…";
    }

    private static boolean isJpegName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jpeg") || lower.endsWith(".jpg");
    }

    private static List<String> classFolders(Path splitDir) throws IOException {
        List<String> classes;
        try (Stream<Path> s = Files.list(splitDir)) {
            classes = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (classes.isEmpty()) {
            throw new IOException(splitDir + ": no class folders; expected one <wnid> folder per class");
        }
        return classes;
    }

    /** The wnid of label {@code index}. */
    public String className(int index) {
        return classes.get(index);
    }

    public Path file(int index) {
        return splitDir.resolve(files[Objects.checkIndex(index, files.length)]);
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    /** @throws UncheckedIOException wrapping an IOException that names an unreadable file */
    @Override
    public void read(int index, float[] dst, int offset, Random augment) {
        Path file = file(index);
        BufferedImage image;
        try {
            image = decode(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        if (augment != null) {
            randomResizedCropAndFlip(rgb, w, h, augment, dst, offset);
        } else {
            resizeAndCenterCrop(rgb, w, h, dst, offset);
        }
    }

    static BufferedImage decode(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable JPEG (" + e.getMessage() + "); expected a decodable RGB/greyscale JPEG", e);
        }
        if (image == null) {
            throw new IOException(file + ": not a readable image; expected a JPEG file");
        }
        return image;
    }

    static void randomResizedCropAndFlip(int[] rgb, int w, int h, Random rng, float[] dst, int offset) {
        CropParams crop = CropParams.randomResized(w, h, rng);
        boolean flip = rng.nextBoolean();
        ImageResampler.resample(rgb, w, crop.left(), crop.top(), crop.width(), crop.height(), OUT, OUT,
                0, 0, OUT, OUT, flip, dst, offset);
    }

    /** torchvision {@code Resize(248)} then {@code CenterCrop(224)}. */
    static void resizeAndCenterCrop(int[] rgb, int w, int h, float[] dst, int offset) {
        int scaledW;
        int scaledH;
        if (w <= h) {
            scaledW = EVAL_RESIZE;
            scaledH = (int) ((long) EVAL_RESIZE * h / w);
        } else {
            scaledH = EVAL_RESIZE;
            scaledW = (int) ((long) EVAL_RESIZE * w / h);
        }
        int top = (int) Math.round((scaledH - OUT) / 2.0);
        int left = (int) Math.round((scaledW - OUT) / 2.0);
        ImageResampler.resample(rgb, w, 0, 0, w, h, scaledW, scaledH, left, top, OUT, OUT, false, dst, offset);
    }
}
