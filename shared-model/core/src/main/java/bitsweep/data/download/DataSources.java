package bitsweep.data.download;

import java.net.URI;
import java.util.List;

/** Where the downloadable data sets come from and the checksums their bytes must have. */
public final class DataSources {

    private DataSources() {
    }

    /** One MNIST file: fetched gzip-compressed, stored uncompressed, SHA-256 of the stored bytes. */
    public record MnistFile(String name, String sha256) {
        public List<URI> mirrors() {
            return List.of(
                    URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/" + name + ".gz"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/" + name + ".gz"),
                    URI.create("http://yann.lecun.com/exdb/mnist/" + name + ".gz"));
        }
    }

    /** SHA-256 of the uncompressed IDX files (the same bytes scripts/get-mnist.sh installs). */
    public static final List<MnistFile> MNIST = List.of(
            new MnistFile("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new MnistFile("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new MnistFile("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new MnistFile("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));

    public static final String CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz";
    /** The MD5 published on https://www.cs.toronto.edu/~kriz/cifar.html for the binary version. */
    public static final String CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a";
    public static final List<URI> CIFAR10_MIRRORS = List.of(
            URI.create("https://www.cs.toronto.edu/~kriz/" + CIFAR10_ARCHIVE));
}
