package bitsweep.protocol;

import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Receptionist keys: the supervisor discovers workers and workers discover the supervisor, so
 * either side may (re)start at any time.
 */
public final class ServiceKeys {
    public static final ServiceKey<WorkerProtocol.Command> WORKER = ServiceKey.create(WorkerProtocol.Command.class,
            "bitsweep-worker");

    public static final ServiceKey<SupervisorProtocol.Command> SUPERVISOR = ServiceKey.create(
            SupervisorProtocol.Command.class, "bitsweep-supervisor");

    private ServiceKeys() {
    }
}
