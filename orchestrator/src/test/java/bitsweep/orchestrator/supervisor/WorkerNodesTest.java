package bitsweep.orchestrator.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

class WorkerNodesTest {
    private static final Address WORKER = new Address("pekko", "bitsweep", "10.0.0.6", 25520);
    private static final Address LOCAL = new Address("pekko", "bitsweep");

    @Test
    void aWorkerNodeIsReadyOnlyOnceTheClusterSawItComeUp() {
        WorkerNodes nodes = new WorkerNodes(true);
        assertFalse(nodes.ready(WORKER), "joining, not yet up");
        nodes.up(WORKER);
        assertTrue(nodes.ready(WORKER));
    }

    @Test
    void aNewIncarnationAtTheAddressOfARemovedNodeMustComeUpAgain() {
        WorkerNodes nodes = new WorkerNodes(true);
        nodes.up(WORKER);
        nodes.removed(WORKER); // downed during a partition
        assertFalse(nodes.ready(WORKER), "the rejoining incarnation is not up yet");
        nodes.up(WORKER);
        assertTrue(nodes.ready(WORKER));
    }

    @Test
    void workersInThisJvmOrOutsideAClusterAreAlwaysReady() {
        assertTrue(new WorkerNodes(true).ready(LOCAL));
        assertTrue(new WorkerNodes(false).ready(WORKER));
    }
}
