package bitsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's logging configuration (tests run with logback-test.xml, so it is checked here). */
class LogbackConfigTest {

    @Test
    void launcherConfigParsesAndLogsToStderrSoCommandOutputOnStdoutStaysClean() throws Exception {
        URL config = getClass().getResource("/logback.xml");
        assertNotNull(config, "logback.xml on the class path");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() >= Status.WARN).toList();
        assertEquals(List.of(), problems, "logback.xml problems");
        var console = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("CONSOLE");
        assertNotNull(console, "CONSOLE appender on the root logger");
        assertTrue(console.getTarget().equals("System.err"), "console target: " + console.getTarget());
        context.stop();
    }
}
