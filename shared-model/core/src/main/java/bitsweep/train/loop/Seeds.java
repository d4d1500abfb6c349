package bitsweep.train.loop;

import ai.djl.engine.Engine;

/**
 * Epoch-derived reseeding: every epoch starts by seeding the engine (gate noise, dropout-free
 * models use nothing else) and the shuffler from {@code (seed, epoch)}. A resumed run therefore
 * draws exactly what the uninterrupted run drew, without serialising RNG state.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long forEpoch(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Seeds the engine's generator (PyTorch CPU and CUDA) for {@code epoch}. */
    public static void seedEngine(long seed, int epoch) {
        // PyTorch accepts any 64-bit seed; keep it positive for engines that do not.
        Engine.getInstance().setRandomSeed((int) (forEpoch(seed, epoch) & 0x7fffffff));
    }
}
