package bitsweep.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import bitsweep.natives.GpuNatives;
import bitsweep.trial.InvalidTrialConfigException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@code --device} value ({@code auto}, {@code cpu()}, {@code gpu(i)}) into a DJL device. */
public final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
    private static final Pattern GPU = Pattern.compile("gpu(?:\\((\\d+)\\)|:?(\\d+))?");

    private Devices() {
    }

    public static Device select(String name) {
        String s = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            int gpus = Engine.getInstance().getGpuCount();
            if (gpus > 0) {
                LOG.info("device auto: DJL sees {} GPU(s), training on gpu(0)", gpus);
                return Device.gpu(0);
            }
            LOG.info("device auto: DJL sees no GPU, training on cpu() (a DJL warning about the CUDA driver "
                    + "above, if any, is expected on machines without a GPU)");
            return Device.cpu();
        }
        if (s.equals("cpu") || s.equals("cpu()")) {
            return Device.cpu();
        }
        Matcher m = GPU.matcher(s);
        if (m.matches()) {
            String digits = m.group(1) != null ? m.group(1) : m.group(2);
            int id = digits == null ? 0 : Integer.parseInt(digits);
            // Before DJL loads: an offline CUDA build without staged natives gets the staging error, not DJL's.
            GpuNatives.requireFor(s);
            int gpus = Engine.getInstance().getGpuCount();
            if (id >= gpus) {
                throw new InvalidTrialConfigException(List.of("device: gpu(" + id + ") requested but DJL sees "
                        + gpus + " GPU(s) (CPU-only PyTorch natives? see docs/training.md, 'CUDA')"));
            }
            return Device.gpu(id);
        }
        throw new InvalidTrialConfigException(List.of("device: expected auto, cpu() or gpu(N), got '" + name + "'"));
    }
}
