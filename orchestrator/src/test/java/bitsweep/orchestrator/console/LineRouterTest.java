package bitsweep.orchestrator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineRouterTest {

    @Test
    void wholeLinesGoAboveTheBlockAndAPartialLineWaitsForItsNewline() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalBlock block = new TerminalBlock(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        block.show(List.of("B"));
        LineRouter router = new LineRouter(block);
        PrintStream err = new PrintStream(router, true, StandardCharsets.UTF_8);
        err.print("half ");
        err.flush();
        assertEquals("B\n", bytes.toString(StandardCharsets.UTF_8));
        err.print("line\nnext ü\n");
        assertEquals("B\n\u001b[1F\u001b[Jhalf line\nB\n\u001b[1F\u001b[Jnext ü\nB\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void terminalWidthComesFromSttySizeWithAFallback() {
        assertEquals(132, LiveConsole.parseColumns("43 132\n", 100));
        assertEquals(100, LiveConsole.parseColumns("", 100));
        assertEquals(100, LiveConsole.parseColumns("0 0", 100));
        assertEquals(100, LiveConsole.parseColumns("stty: not a tty", 100));
    }
}
