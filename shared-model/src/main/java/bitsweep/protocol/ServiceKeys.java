package bitsweep.protocol;

import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Receptionist keys: how the supervisor discovers workers anywhere in the cluster. */
public final class ServiceKeys {
    public static final ServiceKey<WorkerProtocol.Command> WORKER = ServiceKey.create(WorkerProtocol.Command.class,
            "bitsweep-worker");

    private ServiceKeys() {
    }
}
