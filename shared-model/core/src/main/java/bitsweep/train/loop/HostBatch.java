package bitsweep.train.loop;

/** One mini-batch on the host: NCHW pixels in [0, 1] and class labels. */
public record HostBatch(float[] pixels, float[] labels, int size) {
}
