package bitsweep.natives;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** Child-JVM probe: loads DJL's PyTorch engine and computes one sum; prints where libtorch came from. */
public final class OfflineLoadProbe {
    private OfflineLoadProbe() {
    }

    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            System.out.println("sum=" + m.arange(10f).sum().getFloat());
        }
        System.out.println("libtorch=" + ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
    }
}
