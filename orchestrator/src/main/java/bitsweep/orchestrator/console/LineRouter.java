package bitsweep.orchestrator.console;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream (standing in for {@code System.err} while the live view is up) that collects bytes into
 * whole lines and prints each above the {@link TerminalBlock}, so log lines never tear through the block.
 */
final class LineRouter extends OutputStream {
    private final TerminalBlock block;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineRouter(TerminalBlock block) {
        this.block = block;
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** A partial line stays pending until its newline: flushing it would put half a line above the block. */
    @Override
    public void flush() {
    }

    /** Prints what is left, even without a newline. */
    @Override
    public synchronized void close() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        block.printAbove(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
    }
}
