package bitsweep.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import bitsweep.autograd.ParameterGroup;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void mnistLinearTailDecaysWeightsOnlyOverTheLastThird() {
        LrSchedule s = LrSchedule.parse("linear", 100, 1e-3);
        assertEquals(1.0, s.factor(ParameterGroup.WEIGHTS, 1));
        assertEquals(1.0, s.factor(ParameterGroup.WEIGHTS, 67));
        assertEquals(33.0 / 34, s.factor(ParameterGroup.WEIGHTS, 68), 1e-15);
        assertEquals(1.0 / 34, s.factor(ParameterGroup.WEIGHTS, 100), 1e-15);
        assertEquals(1.0, s.factor(ParameterGroup.GATES, 100));
        assertEquals(1.0, s.factor(ParameterGroup.RANGES, 100));
    }

    @Test
    void cifarLinearTailReachesOneHundredthAtEpoch300() {
        LrSchedule s = LrSchedule.parse("linear", 300, 1e-3);
        assertEquals(1.0, s.factor(ParameterGroup.WEIGHTS, 201));
        assertEquals(99.0 / 100, s.factor(ParameterGroup.WEIGHTS, 202), 1e-15);
        assertEquals(1.0 / 100, s.factor(ParameterGroup.WEIGHTS, 300), 1e-15);
    }

    @Test
    void imagenetMultistepScalesAllGroupsAtEpochs11And21() {
        LrSchedule s = LrSchedule.parse("multistep:10:20", 30, 3e-3);
        for (ParameterGroup g : ParameterGroup.values()) {
            assertEquals(1.0, s.factor(g, 10));
            assertEquals(0.1, s.factor(g, 11), 1e-15);
            assertEquals(0.1, s.factor(g, 20), 1e-15);
            assertEquals(0.01, s.factor(g, 21), 1e-15);
            assertEquals(0.01, s.factor(g, 30), 1e-15);
        }
    }

    @Test
    void cosineAnnealsWeightsToEtaMin() {
        LrSchedule s = LrSchedule.parse("cosine:1e-5", 10, 1e-3);
        assertEquals(1.0, s.factor(ParameterGroup.WEIGHTS, 1), 1e-15);
        assertEquals(0.01 + 0.99 * 0.5, s.factor(ParameterGroup.WEIGHTS, 6), 1e-12);
        assertEquals(1.0, s.factor(ParameterGroup.GATES, 6));
    }

    @Test
    void noneKeepsBaseRates() {
        assertEquals(1.0, LrSchedule.parse("none", 5, 1e-3).factor(ParameterGroup.WEIGHTS, 5));
    }

    @Test
    void malformedScheduleNamesTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LrSchedule.parse("MultiStepLR:10:20:40", 25, 1e-2));
        assertEquals(true, e.getMessage().startsWith("lr-schedule:"));
    }

    @Test
    void fineTuneCosineRunsFromBaseToZeroPerIteration() {
        FineTuneCosine c = new FineTuneCosine(100);
        assertEquals(1.0, c.factor(0), 1e-15);
        assertEquals(0.5, c.factor(50), 1e-12);
        assertEquals(0.0, c.factor(100), 1e-15);
    }
}
