package bitsweep.worker;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Which devices a node runs workers on: {@code --gpus 0,1}, {@code --gpus all}, {@code --cpu-workers N}. */
public final class DeviceSelection {
    private DeviceSelection() {
    }

    /**
     * @param gpus       comma-separated GPU indices, {@code all}, or null
     * @param cpuWorkers CPU workers, or null
     * @return DJL device names, one per worker
     */
    public static List<String> select(String gpus, Integer cpuWorkers) {
        if (gpus != null && cpuWorkers != null) {
            throw new IllegalArgumentException("--gpus and --cpu-workers: choose one");
        }
        if (cpuWorkers != null) {
            if (cpuWorkers < 1) {
                throw new IllegalArgumentException("--cpu-workers: expected an integer >= 1, got " + cpuWorkers);
            }
            return cpu(cpuWorkers);
        }
        if (gpus == null || gpus.equals("all")) {
            int count = visibleGpus();
            if (count == 0) {
                if (gpus != null) {
                    throw new IllegalArgumentException("--gpus all: no GPU is visible to DJL on this machine");
                }
                LoggerFactory.getLogger(DeviceSelection.class).info("no GPU visible: one CPU worker (use "
                        + "--cpu-workers N for more)");
                return cpu(1);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add("gpu(" + i + ")");
            }
            return out;
        }
        List<String> out = new ArrayList<>();
        for (String part : gpus.split(",")) {
            try {
                int i = Integer.parseInt(part.trim());
                if (i < 0) {
                    throw new NumberFormatException();
                }
                out.add("gpu(" + i + ")");
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--gpus: expected 'all' or GPU indices like 0,1,2, got '" + gpus + "'");
            }
        }
        return out;
    }

    /** Every {@code gpu(i)} must be one DJL sees: a device process for a missing GPU could only fail. */
    static void requireVisible(List<String> devices) {
        requireVisible(devices, visibleGpus());
    }

    static void requireVisible(List<String> devices, int visible) {
        for (String d : devices) {
            int i = Integer.parseInt(d.substring(4, d.length() - 1));
            if (i >= visible) {
                throw new IllegalArgumentException("--gpus: GPU " + i + " is not visible to DJL on this machine ("
                        + visible + " visible" + (visible == 0 ? "; is this the CPU build? see docs/gpu.md" : "")
                        + ")");
            }
        }
    }

    private static List<String> cpu(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("cpu()");
        }
        return out;
    }

    /** GPUs DJL can use (0 without CUDA; DJL's harmless "Failed to detect GPU count" is silenced in logback). */
    static int visibleGpus() {
        try {
            return ai.djl.engine.Engine.getInstance().getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
