package bitsweep.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** How the control commands report: the supervisor's answer on stdout (exit 0) or why not on stderr. */
public final class ControlOutput {
    public interface Call {
        JsonNode send() throws IOException, InterruptedException;
    }

    private ControlOutput() {
    }

    /**
     * Exit code 0 when accepted, 1 when the supervisor refused; bad input or an unreachable API is thrown
     * as bad input (exit 2, {@link CliErrors}).
     */
    public static int run(String command, Call call) throws InterruptedException {
        JsonNode reply;
        try {
            reply = call.send();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e); // the API cannot be reached: as bad input, exit 2
        }
        boolean accepted = reply.path("accepted").asBoolean(false);
        String message = reply.path("message").asText(reply.toString());
        if (accepted) {
            System.out.println(message);
            JsonNode ids = reply.path("trialIds");
            if (command.equals("extend")) {
                ids.forEach(id -> System.out.println("  " + id.asText()));
            }
            return 0;
        }
        System.err.println("bitsweep " + command + ": refused: " + message);
        return 1;
    }
}
