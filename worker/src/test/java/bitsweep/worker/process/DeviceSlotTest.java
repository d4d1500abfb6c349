package bitsweep.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a node's devices become pinned device processes. */
class DeviceSlotTest {

    @Test
    void gpus0And3GiveOneProcessPerGpuThatSeesOnlyItsGpuAsGpu0() {
        List<DeviceSlot> slots = DeviceSlot.plan(List.of("gpu(0)", "gpu(3)"), 1, 16, null);
        assertEquals(2, slots.size());
        assertEquals(new DeviceSlot(0, "gpu(0)", "gpu(0)", Map.of("CUDA_VISIBLE_DEVICES", "0"), Map.of()), slots.get(0));
        assertEquals(new DeviceSlot(1, "gpu(3)", "gpu(0)", Map.of("CUDA_VISIBLE_DEVICES", "3"), Map.of()), slots.get(1));
        assertEquals(List.of("worker-0", "worker-1"), slots.stream().map(DeviceSlot::name).toList());
    }

    @Test
    void gpuIndicesAreThoseOfTheNodesOwnCudaVisibleDevicesWhenItIsSet() {
        List<DeviceSlot> slots = DeviceSlot.plan(List.of("gpu(0)", "gpu(3)"), 1, 16, "4,5, 6,7");
        assertEquals("4", slots.get(0).env().get("CUDA_VISIBLE_DEVICES"));
        assertEquals("7", slots.get(1).env().get("CUDA_VISIBLE_DEVICES"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSlot.plan(List.of("gpu(2)"), 1, 16, "4,5"));
        assertTrue(e.getMessage().contains("CUDA_VISIBLE_DEVICES=4,5"), e.getMessage());
    }

    @Test
    void twoCpuWorkersShareTheCoresEvenlyThroughOmpMklAndDjlThreadSettings() {
        List<DeviceSlot> slots = DeviceSlot.plan(List.of("cpu()", "cpu()"), 1, 16, null);
        assertEquals(2, slots.size());
        for (DeviceSlot s : slots) {
            assertEquals("cpu()", s.device());
            assertEquals(Map.of("OMP_NUM_THREADS", "8", "MKL_NUM_THREADS", "8"), s.env());
            assertEquals(Map.of("ai.djl.pytorch.num_threads", "8", "ai.djl.pytorch.num_interop_threads", "1"),
                    s.properties());
        }
        // 2 cores, 2 workers: one thread each; more workers than cores: still at least one
        assertEquals("1", DeviceSlot.plan(List.of("cpu()", "cpu()"), 1, 2, null).get(1).env().get("OMP_NUM_THREADS"));
        assertEquals("1", DeviceSlot.plan(List.of("cpu()", "cpu()", "cpu()"), 1, 2, null).get(2).properties()
                .get("ai.djl.pytorch.num_threads"));
        assertEquals(3, DeviceSlot.cpuShare(7, 2));
    }

    @Test
    void slotsPerDeviceStartsKPinnedProcessesPerDeviceAndCpuSharesCountEveryProcess() {
        List<DeviceSlot> gpu = DeviceSlot.plan(List.of("gpu(0)", "gpu(3)"), 2, 16, null);
        assertEquals(List.of("0", "0", "3", "3"), gpu.stream().map(s -> s.env().get("CUDA_VISIBLE_DEVICES")).toList());
        assertEquals(List.of(0, 1, 2, 3), gpu.stream().map(DeviceSlot::index).toList());
        assertTrue(gpu.stream().allMatch(s -> s.device().equals("gpu(0)")));

        List<DeviceSlot> cpu = DeviceSlot.plan(List.of("cpu()", "cpu()"), 2, 16, null);
        assertEquals(4, cpu.size());
        assertTrue(cpu.stream().allMatch(s -> s.env().get("OMP_NUM_THREADS").equals("4")), cpu.toString());

        assertThrows(IllegalArgumentException.class, () -> DeviceSlot.plan(List.of("cpu()"), 0, 16, null));
    }
}
