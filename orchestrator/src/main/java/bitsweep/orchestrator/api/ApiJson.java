package bitsweep.orchestrator.api;

import bitsweep.io.Json;
import bitsweep.orchestrator.report.ParetoFrontier;
import bitsweep.orchestrator.report.TrialPoint;
import bitsweep.orchestrator.report.VariantFrontier;
import bitsweep.protocol.LiveView;
import bitsweep.sweep.TrialStatus;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The API's JSON documents, shaped from the supervisor's {@link LiveView}. */
public final class ApiJson {
    private ApiJson() {
    }

    static ObjectNode summary(LiveView v) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("sweep", v.sweep());
        n.put("state", v.complete() ? "complete" : v.cancelled() ? "cancelled" : v.paused() ? "paused"
                : v.started() ? "running" : "starting");
        n.put("paused", v.paused());
        n.put("cancelled", v.cancelled());
        n.put("complete", v.complete());
        n.put("total", v.trials().size());
        ObjectNode counts = n.putObject("counts");
        for (TrialStatus s : TrialStatus.values()) {
            counts.put(s.text(), v.count(s));
        }
        n.put("etaSeconds", v.etaSeconds());
        n.put("workers", v.workers().size());
        n.put("ignoredMessages", v.ignored());
        n.put("atMillis", v.atMillis());
        return n;
    }

    /**
     * Every trial without its bit table (that is a link), with links to its files.
     *
     * @param hasModel whether a trial's ONNX model exists in the results folder
     */
    static ArrayNode trials(LiveView v, Predicate<String> hasModel) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (LiveView.Trial t : v.trials()) {
            a.add(trial(t, hasModel.test(t.trialId())));
        }
        return a;
    }

    static ObjectNode trial(LiveView.Trial t, boolean hasModel) {
        ObjectNode n = Json.MAPPER.valueToTree(t);
        n.remove("bitTable");
        String base = "/api/trials/" + t.trialId();
        ObjectNode links = n.putObject("links");
        links.put("log", base + "/log");
        links.put("bits", base + "/bits");
        if (hasModel) {
            links.put("model", base + "/model.onnx");
        }
        return n;
    }

    static ArrayNode workers(LiveView v) {
        return Json.MAPPER.valueToTree(v.workers());
    }

    static ArrayNode events(LiveView v, int limit) {
        List<LiveView.Event> e = v.events();
        return Json.MAPPER.valueToTree(e.subList(Math.max(0, e.size() - limit), e.size()));
    }

    /** Per variant: every completed point and which of them form the Pareto frontier (BOPs ↓, top-1 ↑). */
    static ArrayNode frontier(LiveView v) {
        Map<String, List<TrialPoint>> byVariant = new TreeMap<>();
        for (LiveView.Trial t : v.trials()) {
            if (t.status() == TrialStatus.COMPLETED && t.top1() != null && t.relativeBops() != null
                    && Double.isFinite(t.top1()) && Double.isFinite(t.relativeBops())) {
                String variant = t.variant() == null || t.variant().isBlank() ? TrialPoint.DEFAULT_VARIANT : t.variant();
                byVariant.computeIfAbsent(variant, k -> new ArrayList<>()).add(new TrialPoint(t.trialId(), variant,
                        t.mu(), t.seed(), t.top1(), t.relativeBops(), t.gbops() == null ? 0 : t.gbops(), List.of(),
                        t.artifact(), null));
            }
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        byVariant.forEach((variant, points) -> {
            VariantFrontier f = ParetoFrontier.of(variant, points);
            ObjectNode n = a.addObject();
            n.put("variant", variant);
            n.set("frontier", points(f.frontier()));
            n.set("dominated", points(f.dominated()));
        });
        return a;
    }

    private static ArrayNode points(List<TrialPoint> points) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (TrialPoint p : points) {
            ObjectNode n = a.addObject();
            n.put("trialId", p.trialId());
            if (p.mu() != null) {
                n.put("mu", p.mu());
            }
            n.put("top1", p.top1());
            n.put("relativeBops", p.relativeBops());
            n.put("gbops", p.gbops());
        }
        return a;
    }

    /** Everything the dashboard draws, in one document (what the event stream sends). */
    static ObjectNode dashboard(LiveView v, Predicate<String> hasModel) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("summary", summary(v));
        n.set("trials", trials(v, hasModel));
        n.set("workers", workers(v));
        n.set("frontier", frontier(v));
        n.set("events", events(v, 50));
        return n;
    }

    static String error(String message) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("error", message);
        return n.toString();
    }
}
