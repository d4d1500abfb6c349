package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitsweep.cluster.ClusterConfig;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Journals keep snapshots written when trial statuses were plain strings; through Pekko's own CBOR
 * serializer (the one the journal uses) they must load, and statuses must still be written as those words.
 */
class SnapshotStatusFormatTest {
    /** A snapshot as written before {@link TrialStatus} existed (trimmed to what matters here). */
    private static final String OLD_SNAPSHOT = """
            {"sweep": "s", "started": true, "cancelled": false, "maxAttempts": 3, "paused": false,
             "trials": {
               "t0": {"spec": {"trialId": "t0", "sweep": "s", "variant": "v", "params": {}}, "status": "running",
                      "attempts": 1, "worker": "w", "assignedAtMillis": 5},
               "t1": {"spec": {"trialId": "t1", "sweep": "s", "variant": "v", "params": {}}, "status": "cancelled"},
               "t2": {"spec": {"trialId": "t2", "sweep": "s", "variant": "v", "params": {}}, "status": "queued"}},
             "queue": ["t2"], "extended": []}
            """;

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static ActorTestKit kit;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("snapshot-format", ClusterConfig.node().set("pekko.actor.provider", "local").build());
        serialization = SerializationExtension.get(kit.system().classicSystem());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void aSnapshotFromBeforeTheEnumLoadsAndStatusesAreWrittenAsTheSameWords() throws Exception {
        Serializer serializer = serialization.serializerFor(SweepState.class);
        byte[] old = CBOR.writeValueAsBytes(new ObjectMapper().readTree(OLD_SNAPSHOT));

        SweepState state = (SweepState) serialization.deserialize(old, serializer.identifier(),
                SweepState.class.getName()).get();
        assertEquals(TrialStatus.RUNNING, state.trial("t0").status());
        assertEquals(TrialStatus.CANCELLED, state.trial("t1").status());
        assertEquals(1, state.count(TrialStatus.QUEUED));

        JsonNode written = CBOR.readTree(serializer.toBinary(state));
        assertEquals("running", written.at("/trials/t0/status").textValue());
        assertEquals("cancelled", written.at("/trials/t1/status").textValue());
        assertEquals("queued", written.at("/trials/t2/status").textValue());
    }
}
