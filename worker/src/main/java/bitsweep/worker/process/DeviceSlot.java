package bitsweep.worker.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device process of a node: which device it trains on and how it is pinned to it.
 *
 * <p>A GPU process sees exactly one GPU ({@code CUDA_VISIBLE_DEVICES=<index>}) and trains on
 * {@code gpu(0)}; a CPU process gets an even share of the machine's cores through
 * {@code OMP_NUM_THREADS}/{@code MKL_NUM_THREADS} and DJL's {@code ai.djl.pytorch.num_threads} /
 * {@code ai.djl.pytorch.num_interop_threads} system properties (read once, by
 * {@code PtEngine.newInstance()} in DJL 0.36).
 *
 * @param index      0-based slot number on this node; names the process ({@code worker-<index>}) and its log
 * @param physical   the device as the node sees it: {@code gpu(3)} or {@code cpu()}
 * @param device     the device the child trains on: {@code gpu(0)} (its only visible GPU) or {@code cpu()}
 * @param env        environment variables set for the child (on top of the node's environment)
 * @param properties system properties set for the child ({@code -Dkey=value})
 */
public record DeviceSlot(int index, String physical, String device, Map<String, String> env,
                         Map<String, String> properties) {
    /** DJL 0.36 PtEngine: intra-op threads of PyTorch, read from a system property when the engine loads. */
    public static final String DJL_NUM_THREADS = "ai.djl.pytorch.num_threads";
    /** DJL 0.36 PtEngine: inter-op threads of PyTorch. */
    public static final String DJL_NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static final Pattern GPU = Pattern.compile("gpu\\((\\d+)\\)");

    public DeviceSlot {
        env = Map.copyOf(env);
        properties = Map.copyOf(properties);
    }

    /** {@code worker-<index>}: the process's name in logs and its log file's name. */
    public String name() {
        return "worker-" + index;
    }

    /**
     * Plans a node's device processes.
     *
     * @param devices           one entry per device from {@code DeviceSelection}: {@code gpu(i)} or {@code cpu()}
     * @param slotsPerDevice    processes per device (K &gt;= 1)
     * @param cores             the node's available processors
     * @param cudaVisibleDevices the node's own {@code CUDA_VISIBLE_DEVICES} (null or blank: not set); when
     *                          set, {@code gpu(i)} is its i-th entry, and that entry is what the child sees
     */
    public static List<DeviceSlot> plan(List<String> devices, int slotsPerDevice, int cores, String cudaVisibleDevices) {
        if (slotsPerDevice < 1) {
            throw new IllegalArgumentException("--slots-per-device: expected an integer >= 1, got " + slotsPerDevice);
        }
        List<String> visible = cudaVisibleDevices == null || cudaVisibleDevices.isBlank() ? null
                : List.of(cudaVisibleDevices.trim().split("\\s*,\\s*"));
        long cpuSlots = devices.stream().filter(d -> !GPU.matcher(d).matches()).count() * slotsPerDevice;
        int share = cpuSlots == 0 ? 0 : cpuShare(cores, (int) cpuSlots);
        List<DeviceSlot> out = new ArrayList<>();
        for (String d : devices) {
            Matcher m = GPU.matcher(d);
            for (int k = 0; k < slotsPerDevice; k++) {
                int index = out.size();
                if (m.matches()) {
                    int gpu = Integer.parseInt(m.group(1));
                    String id = visible == null ? Integer.toString(gpu) : gpuFromVisible(visible, gpu);
                    out.add(new DeviceSlot(index, d, "gpu(0)", Map.of("CUDA_VISIBLE_DEVICES", id), Map.of()));
                } else if (d.equals("cpu()")) {
                    Map<String, String> env = new LinkedHashMap<>();
                    env.put("OMP_NUM_THREADS", Integer.toString(share));
                    env.put("MKL_NUM_THREADS", Integer.toString(share));
                    out.add(new DeviceSlot(index, d, "cpu()", env, Map.of(DJL_NUM_THREADS, Integer.toString(share),
                            DJL_NUM_INTEROP_THREADS, "1")));
                } else {
                    throw new IllegalArgumentException("unknown device '" + d + "' (expected gpu(N) or cpu())");
                }
            }
        }
        return out;
    }

    /** Each CPU process's even share of the cores: {@code max(1, cores / processes)}. */
    public static int cpuShare(int cores, int processes) {
        return Math.max(1, cores / Math.max(1, processes));
    }

    private static String gpuFromVisible(List<String> visible, int gpu) {
        if (gpu >= visible.size()) {
            throw new IllegalArgumentException("--gpus: gpu(" + gpu + ") requested but CUDA_VISIBLE_DEVICES="
                    + String.join(",", visible) + " makes only " + visible.size() + " GPU(s) visible");
        }
        return visible.get(gpu);
    }
}
