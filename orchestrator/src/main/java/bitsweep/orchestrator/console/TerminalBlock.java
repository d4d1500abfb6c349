package bitsweep.orchestrator.console;

import java.io.PrintStream;
import java.util.List;

/**
 * A block of lines kept at the bottom of a terminal and redrawn in place (ANSI: cursor to the start of the
 * line N lines up, erase to the end of the screen), with other output printed above it. The caller keeps
 * every line within the terminal's width, so one line is one row.
 */
final class TerminalBlock {
    static final String ERASE = "\u001b[J";
    private final PrintStream out;
    private List<String> lines = List.of();
    private int drawn;
    private boolean closed;

    TerminalBlock(PrintStream out) {
        this.out = out;
    }

    /** Replaces the block with {@code newLines}. */
    synchronized void show(List<String> newLines) {
        if (closed) {
            return;
        }
        lines = List.copyOf(newLines);
        erase();
        draw();
        out.flush();
    }

    /** Prints {@code text} (one or more whole lines) above the block, which is drawn again below it. */
    synchronized void printAbove(String text) {
        erase();
        out.print(text);
        if (!text.endsWith("\n")) {
            out.print('\n');
        }
        if (!closed) {
            draw();
        }
        out.flush();
    }

    /** Erases the block (the last snapshot may already be out of date; the caller prints the final state). */
    synchronized void close() {
        erase();
        closed = true;
        out.flush();
    }

    private void erase() {
        if (drawn > 0) {
            out.print("\u001b[" + drawn + "F" + ERASE);
            drawn = 0;
        }
    }

    private void draw() {
        for (String line : lines) {
            out.print(line);
            out.print('\n');
        }
        drawn = lines.size();
    }
}
