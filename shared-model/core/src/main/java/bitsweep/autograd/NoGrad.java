package bitsweep.autograd;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph on this thread, restoring the previous mode on
 * close. Needed for in-place writes into parameters (range initialisation): PyTorch refuses an in-place
 * op on a view of a leaf that requires grad while grad mode is on. Grad mode is thread-local and on by
 * default in a fresh thread (DJL only switches it off in the thread that loaded the engine), so code
 * that works in {@code main} fails on a worker's training thread without this.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad open() {
        return new NoGrad();
    }

    /**
     * Puts this thread in the state DJL's training idioms assume (grad mode off outside a
     * GradientCollector), as the engine-loading thread is. Call once at the start of a training thread.
     */
    public static void resetThread() {
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
