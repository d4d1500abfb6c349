package bitsweep.artifact;

import java.util.Arrays;

/** A dense float32 tensor in row-major (C) order. */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
    }
}
