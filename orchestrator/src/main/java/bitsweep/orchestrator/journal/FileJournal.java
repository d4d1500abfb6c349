package bitsweep.orchestrator.journal;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;

/**
 * An embedded Pekko Persistence journal: one append-only file ({@code <dir>/events.journal}), every
 * batch of writes fsync'd before it is acknowledged. Chosen over pekko-persistence-jdbc + H2 for the
 * default because a sweep's journal is small (thousands of events), written by a single writer (the
 * cluster singleton), must live next to its results, and should need no database or extra
 * dependencies; a server database is the documented option for long-lived clusters.
 *
 * <p>Format: frames of {@code [int length][int crc32][byte type][payload]}; type 1 = a serialized
 * {@link PersistentRepr} (Pekko's persistence message serializer, payload in Jackson CBOR), type 2 =
 * a deletion marker ({@code persistenceId}, {@code toSequenceNr}). A torn last frame (crash during
 * the write) fails its length or CRC check and is cut off at start-up; it was never acknowledged.
 *
 * <p>Every event is also kept in memory for replays: fine at sweep scale, not meant for millions of events.
 */
public final class FileJournal extends AsyncWriteJournal {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    private static final byte MESSAGE = 1;
    private static final byte DELETE = 2;

    private final Serialization serialization;
    private final FileChannel channel;
    private final boolean fsync;
    private final Map<String, List<Stored>> events = new HashMap<>();
    private final Map<String, Long> deletedTo = new HashMap<>();
    private final Map<String, Long> highest = new HashMap<>();

    private record Stored(long seqNr, byte[] bytes) {
    }

    public FileJournal(Config config) throws IOException {
        this.serialization = SerializationExtension.get(context().system());
        Path dir = Path.of(config.getString("dir"));
        this.fsync = config.getBoolean("fsync");
        Files.createDirectories(dir);
        Path file = dir.resolve("events.journal");
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long good = load(file);
        if (good < channel.size()) {
            log.warn("journal {}: cutting off {} bytes of an incomplete last write", file, channel.size() - good);
            channel.truncate(good);
            channel.force(true);
        }
        channel.position(good);
        log.debug("journal {} opened: {} bytes", file, good);
    }

    /** Reads every intact frame; returns the offset after the last one. */
    private long load(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
        long good = 0;
        while (all.remaining() >= 9) {
            int start = all.position();
            int length = all.getInt();
            int crc = all.getInt();
            if (length < 1 || length > all.remaining()) {
                break;
            }
            byte[] frame = new byte[length];
            all.get(frame);
            CRC32 check = new CRC32();
            check.update(frame);
            if ((int) check.getValue() != crc) {
                all.position(start);
                break;
            }
            apply(frame);
            good = all.position();
        }
        return good;
    }

    private void apply(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        byte type = b.get();
        if (type == MESSAGE) {
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            PersistentRepr repr = serialization.deserialize(payload, PersistentRepr.class).get();
            remember(repr.persistenceId(), repr.sequenceNr(), payload);
        } else if (type == DELETE) {
            byte[] pid = new byte[b.getInt()];
            b.get(pid);
            deletedTo.merge(new String(pid, StandardCharsets.UTF_8), b.getLong(), Math::max);
        }
    }

    private void remember(String persistenceId, long seqNr, byte[] bytes) {
        events.computeIfAbsent(persistenceId, k -> new ArrayList<>()).add(new Stored(seqNr, bytes));
        highest.merge(persistenceId, seqNr, Math::max);
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        List<Optional<Exception>> results = new ArrayList<>();
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        List<PersistentRepr> accepted = new ArrayList<>();
        List<byte[]> acceptedBytes = new ArrayList<>();
        for (AtomicWrite write : messages) {
            try {
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                List<PersistentRepr> reprs = new ArrayList<>();
                List<byte[]> bytes = new ArrayList<>();
                for (PersistentRepr repr : scala.jdk.javaapi.CollectionConverters.asJava(write.payload())) {
                    byte[] payload = serialization.serialize(repr).get();
                    frame(one, MESSAGE, payload);
                    reprs.add(repr);
                    bytes.add(payload);
                }
                one.writeTo(batch);
                accepted.addAll(reprs);
                acceptedBytes.addAll(bytes);
                results.add(Optional.empty());
            } catch (Exception e) { // serialization: reject this write only, as the journal contract asks
                results.add(Optional.of(e));
            }
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(batch.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            return scala.concurrent.Future$.MODULE$.failed(e); // the persistent actor stops: nothing of this batch is acknowledged
        }
        for (int i = 0; i < accepted.size(); i++) {
            remember(accepted.get(i).persistenceId(), accepted.get(i).sequenceNr(), acceptedBytes.get(i));
        }
        return scala.concurrent.Future$.MODULE$.successful(results);
    }

    private static void frame(ByteArrayOutputStream out, byte type, byte[] payload) throws IOException {
        byte[] frame = new byte[payload.length + 1];
        frame[0] = type;
        System.arraycopy(payload, 0, frame, 1, payload.length);
        CRC32 crc = new CRC32();
        crc.update(frame);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(frame.length);
        data.writeInt((int) crc.getValue());
        data.write(frame);
        data.flush();
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(payload);
            byte[] pid = persistenceId.getBytes(StandardCharsets.UTF_8);
            data.writeInt(pid.length);
            data.write(pid);
            data.writeLong(toSequenceNr);
            data.flush();
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            frame(framed, DELETE, payload.toByteArray());
            channel.write(ByteBuffer.wrap(framed.toByteArray()));
            if (fsync) {
                channel.force(false);
            }
            deletedTo.merge(persistenceId, toSequenceNr, Math::max);
            return scala.concurrent.Future$.MODULE$.successful(null);
        } catch (IOException e) {
            return scala.concurrent.Future$.MODULE$.failed(e);
        }
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replayCallback) {
        long deleted = deletedTo.getOrDefault(persistenceId, 0L);
        long count = 0;
        for (Stored s : events.getOrDefault(persistenceId, List.of())) {
            if (count >= max) {
                break;
            }
            if (s.seqNr() >= fromSequenceNr && s.seqNr() <= toSequenceNr && s.seqNr() > deleted) {
                replayCallback.accept(serialization.deserialize(s.bytes(), PersistentRepr.class).get());
                count++;
            }
        }
        return scala.concurrent.Future$.MODULE$.successful(null);
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return scala.concurrent.Future$.MODULE$.successful(highest.getOrDefault(persistenceId, 0L));
    }

    @Override
    public void postStop() throws Exception {
        channel.close();
        super.postStop();
    }
}
