package bitsweep.worker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceSelectionTest {

    @Test
    void explicitGpuIndicesBecomeOneDevicePerIndex() {
        assertEquals(List.of("gpu(0)", "gpu(3)"), DeviceSelection.select("0,3", null));
        assertEquals(List.of("cpu()", "cpu()"), DeviceSelection.select(null, 2));
    }

    @Test
    void aGpuThatIsNotVisibleIsRefusedBeforeAnyProcessStarts() {
        assertDoesNotThrow(() -> DeviceSelection.requireVisible(List.of("gpu(0)", "gpu(1)"), 2));
        var e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.requireVisible(List.of("gpu(0)", "gpu(3)"), 2));
        assertEquals("--gpus: GPU 3 is not visible to DJL on this machine (2 visible)", e.getMessage());
        var none = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelection.requireVisible(List.of("gpu(0)"), 0));
        assertTrue(none.getMessage().contains("is this the CPU build? see docs/gpu.md"), none.getMessage());
    }
}
