package bitsweep.orchestrator.supervisor;

import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.Address;

/**
 * Which nodes this node's cluster has seen come up: the supervisor tracks (and death-watches) a worker only
 * once its node is one of them.
 *
 * <p>Why: Pekko's cluster death watch reports a watched actor terminated at once when its node is not (yet) an
 * up member but its host:port belonged to a member that was removed (a tombstone, kept for a day). A worker
 * that was downed (a network partition) and rejoins at the same address as a new incarnation can ask for work
 * before this node has seen it come up; watching it then reported it lost at once and failed the attempt it had
 * just been given (found by {@code NetworkPartitionTest}).
 */
final class WorkerNodes {
    private final boolean clustered;
    private final Set<Address> up = new HashSet<>();

    /** @param clustered false in a local (non-cluster) actor system: every worker is local and always ready */
    WorkerNodes(boolean clustered) {
        this.clustered = clustered;
    }

    /** Whether a worker on {@code node} may be tracked and watched now. Workers in this JVM always may. */
    boolean ready(Address node) {
        return !clustered || node.host().isEmpty() || up.contains(node);
    }

    /** The cluster says {@code node} is up (or weakly up). */
    void up(Address node) {
        up.add(node);
    }

    /** The cluster removed {@code node}; a later incarnation at the same address must come up again. */
    void removed(Address node) {
        up.remove(node);
    }
}
