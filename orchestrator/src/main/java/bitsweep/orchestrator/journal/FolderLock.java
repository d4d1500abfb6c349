package bitsweep.orchestrator.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive OS lock on {@code <results>/.lock} for the life of the process: one orchestrator per results
 * folder. The kernel drops it when the process dies (also on kill -9), so there is never a stale lock to
 * clean up. The file says who holds it; it is never deleted (deleting a lock file races with its next user).
 */
public final class FolderLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static FolderLock acquire(Path resultsDir) throws IOException {
        Files.createDirectories(resultsDir);
        Path file = resultsDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) { // held by this very JVM
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new SweepLockedException("results folder " + resultsDir + " is in use by another orchestrator ("
                    + (holder.isEmpty() ? "holder unknown" : holder) + "): only one may run a results folder at a "
                    + "time; wait for it to finish or stop it");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new FolderLock(channel, lock);
    }

    static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now() + "\n";
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
