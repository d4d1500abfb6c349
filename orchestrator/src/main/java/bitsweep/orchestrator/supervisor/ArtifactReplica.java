package bitsweep.orchestrator.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A copy of the artifact store's files outside this machine, so that checkpoints and final models survive the
 * loss of the orchestrator's disk and a standby orchestrator can resume from them. Paths are the store's own,
 * relative to the results folder. Every method blocks: call them on a blocking executor only.
 */
public interface ArtifactReplica {
    /** No copy (the embedded journal: the results folder is the only store). */
    ArtifactReplica NONE = new ArtifactReplica() {
        @Override
        public void put(String relative, Path file) {
        }

        @Override
        public boolean get(String relative, Path target) {
            return false;
        }

        @Override
        public List<String> list() {
            return List.of();
        }

        @Override
        public void delete(String relative) {
        }

        @Override
        public void deleteUnder(String prefix) {
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /** Stores {@code file} under {@code relative}, replacing an earlier copy; returns once it is durable. */
    void put(String relative, Path file) throws IOException;

    /** Writes the copy of {@code relative} to {@code target} (atomically, checked); false when there is none. */
    boolean get(String relative, Path target) throws IOException;

    /** Every path this sweep has a copy of. */
    List<String> list() throws IOException;

    void delete(String relative) throws IOException;

    /** Deletes every copy whose path starts with {@code prefix}. */
    void deleteUnder(String prefix) throws IOException;

    String describe();
}
