package bitsweep.orchestrator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalBlockTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TerminalBlock block = new TerminalBlock(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8).replace("\u001b", "ESC");
    }

    @Test
    void firstDrawPrintsTheLinesAndARedrawMovesUpOverThemAndErasesFirst() {
        block.show(List.of("a", "b"));
        block.show(List.of("c", "d", "e"));
        assertEquals("a\nb\nESC[2FESC[Jc\nd\ne\n", output());
    }

    @Test
    void linesPrintedAboveEraseTheBlockAndRedrawItBelowThem() {
        block.show(List.of("status"));
        block.printAbove("12:00 WARN something\n");
        block.printAbove("no newline");
        assertEquals("status\nESC[1FESC[J12:00 WARN something\nstatus\nESC[1FESC[Jno newline\nstatus\n", output());
    }

    @Test
    void closeErasesTheBlockAndLaterSnapshotsAreIgnoredWhileLinesStillPrint() {
        block.show(List.of("a", "b"));
        block.close();
        block.show(List.of("late snapshot"));
        block.printAbove("table\n");
        assertEquals("a\nb\nESC[2FESC[Jtable\n", output());
    }
}
