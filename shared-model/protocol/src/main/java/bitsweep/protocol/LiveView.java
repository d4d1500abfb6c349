package bitsweep.protocol;

import bitsweep.artifact.LayerBits;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The sweep as the supervisor sees it right now: what the dashboard, the HTTP API and the metrics show
 * (answer to {@link SupervisorProtocol.GetLiveView}).
 *
 * @param paused       no trial is handed out until resumed
 * @param complete     every trial has ended and the sweep's end was handled
 * @param etaSeconds   estimated time until every queued and running trial ends (mean trial time × work
 *                     left ÷ workers), or -1 while no trial has completed
 * @param ignored      messages from attempts that were no longer current (fencing)
 * @param events       the latest journal events, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LiveView(String sweep, boolean started, boolean cancelled, boolean paused, boolean complete,
                       long atMillis, double etaSeconds, long ignored, List<Trial> trials, List<Worker> workers,
                       List<Event> events) implements CborSerializable {

    public long count(TrialStatus status) {
        return trials.stream().filter(t -> t.status() == status).count();
    }

    /**
     * One trial.
     *
     * @param mu             its gating-lambda (the trade-off knob)
     * @param epoch          the latest epoch it reported (0 before the first)
     * @param totalEpochs    Bayesian Bits plus fine-tuning epochs
     * @param etaSeconds     time left in the running attempt from its epoch times, or -1 when unknown
     * @param imagesPerSecond training throughput of its latest epoch, or 0
     * @param top1           final top-1 when completed, else the latest evaluated epoch's, or null
     * @param relativeBops   final relative BOPs when completed, else the latest epoch's, or null
     * @param bitTable       the latest epoch's per-layer bit table while not finished, else null (the final
     *                       one is in the trial's result.json)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trial(String trialId, String variant, Double mu, Long seed, TrialStatus status, int attempts,
                        int failures, String worker, String device, int epoch, int totalEpochs, double etaSeconds,
                        double imagesPerSecond, Double top1, Double relativeBops, Double gbops, String error,
                        String artifact, long assignedAtMillis, long completedAtMillis, double wallSeconds,
                        List<LayerBits> bitTable) implements CborSerializable {
    }

    /** One worker the supervisor knows, and what it runs ({@code trialId} null when idle). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Worker(String name, String device, String trialId, int attempt, int epoch,
                         double imagesPerSecond) implements CborSerializable {
    }

    /**
     * One journal event.
     *
     * @param seq      its sequence number in the journal
     * @param atMillis when it happened, 0 when the event does not say and was replayed from the journal
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(long seq, long atMillis, String type, String trialId, String text) implements CborSerializable {
    }
}
