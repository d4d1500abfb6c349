package bitsweep.app.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
    @TempDir
    Path tmp;

    private String run(int[] code, String... args) {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        code[0] = cli.execute(args);
        return out.toString();
    }

    @Test
    void reportsEngineProvidersDataAndPortsOnThisCpuMachine() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/mnist"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte.gz"}) {
            Files.writeString(data.resolve(f), "x");
        }
        int[] code = new int[1];
        String out;
        try (ServerSocket busy = new ServerSocket(0)) {
            out = run(code, "doctor", "--data-dir", tmp.resolve("data").toString(), "--bind",
                    "127.0.0.1:" + busy.getLocalPort(), "--http", "127.0.0.1:" + busy.getLocalPort());
        }
        assertEquals(0, code[0], out);
        assertTrue(out.contains("[ok  ] djl            PyTorch engine 2.7.1"), out);
        assertTrue(out.contains("[warn] gpus           none visible to DJL"), out);
        assertTrue(out.contains("[warn] onnx runtime   providers [CPU]"), out);
        assertTrue(out.contains("[ok  ] data mnist     " + data + ": 4 files present"), out);
        assertTrue(out.contains("[warn] data cifar10") && out.contains("missing data_batch_1.bin")
                && out.contains("bitsweep download cifar10"), out);
        assertTrue(out.contains("[warn] cluster port") && out.contains("cannot be bound"), out);
        assertTrue(out.contains("[warn] http           127.0.0.1:" + "") && out.contains("another --http"), out);
        assertTrue(out.contains("this node can run BitSweep ("), out);
    }
}
