package bitsweep.nn;

import ai.djl.MalformedModelException;
import bitsweep.quant.Quantizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Checkpoint form of a quantizer's non-parameter state (initialised and signed flags, spec §4). */
final class QuantizerState {

    private QuantizerState() {
    }

    static void write(DataOutputStream os, Quantizer q) throws IOException {
        os.writeBoolean(q != null);
        if (q != null) {
            os.writeBoolean(q.initialized());
            os.writeBoolean(q.signed());
        }
    }

    static void read(DataInputStream is, Quantizer q, String name) throws IOException, MalformedModelException {
        boolean present = is.readBoolean();
        if (present != (q != null)) {
            throw new MalformedModelException("quantizer " + name + ": checkpoint " + (present ? "has" : "lacks")
                    + " it but the model " + (q != null ? "has" : "lacks") + " it (different variant flags?)");
        }
        if (present) {
            q.restoreState(is.readBoolean(), is.readBoolean());
        }
    }
}
