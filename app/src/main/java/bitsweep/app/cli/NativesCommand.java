package bitsweep.app.cli;

import bitsweep.natives.NativesCheck;
import bitsweep.natives.NativesLayout;
import bitsweep.natives.NativesReport;
import bitsweep.natives.NativesStager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code bitsweep natives stage|check}: prepares DJL's PyTorch natives on a machine with internet and
 * verifies them on offline nodes, which then run with {@code BITSWEEP_NATIVES_DIR} (docs/gpu.md).
 */
@Command(name = "natives", mixinStandardHelpOptions = true,
        description = {"Stage DJL's PyTorch natives for offline (GPU) nodes and check a staged folder.",
                "Offline nodes then run with BITSWEEP_NATIVES_DIR=DIR (see docs/gpu.md)."},
        subcommands = {NativesCommand.Stage.class, NativesCommand.Check.class})
public final class NativesCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** The flavor to use when none is given: the CUDA flavor this DJL can load. */
    static String defaultFlavor() {
        return NativesLayout.current().loadableFlavors().stream().filter(NativesLayout::isCuda).findFirst()
                .orElse("cpu");
    }

    @Command(name = "stage", mixinStandardHelpOptions = true,
            description = {"Download (CUDA flavors: CUDA build and internet needed) or copy (cpu, from the bundled",
                    "jar) DJL's PyTorch natives into DIR, in DJL's cache layout."})
    static final class Stage implements Callable<Integer> {
        @Option(names = "--flavor", description = "cpu or a CUDA flavor DJL can load (default: the CUDA one, cu128 "
                + "for DJL 0.36 / PyTorch 2.7.1)")
        String flavor;

        @Option(names = "--dir", required = true, description = "folder to fill; copy it to the offline nodes")
        Path dir;

        @Override
        public Integer call() {
            try {
                NativesReport r = new NativesStager().stage(dir, flavor != null ? flavor : defaultFlavor());
                print(System.out, r);
                System.out.println("staged; on the nodes: export BITSWEEP_NATIVES_DIR=" + r.root());
                return 0;
            } catch (Exception e) {
                System.err.println("error: " + e.getMessage());
                return e instanceof IllegalArgumentException || e instanceof IllegalStateException ? 2 : 1;
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check, offline, that DIR holds the natives DJL needs for a flavor; exit 2 if not."})
    static final class Check implements Callable<Integer> {
        @Option(names = "--flavor", description = "flavor to check (default: the CUDA flavor this DJL loads)")
        String flavor;

        @Option(names = "--dir", required = true, description = "staged folder (the value of BITSWEEP_NATIVES_DIR)")
        Path dir;

        @Override
        public Integer call() {
            NativesReport r = NativesCheck.check(NativesLayout.current(), dir, flavor != null ? flavor : defaultFlavor());
            print(System.out, r);
            if (!r.complete()) {
                System.err.println("error: " + r.errorMessage());
                return 2;
            }
            System.out.println("ok: DJL can load the " + r.flavor() + " natives from " + r.root() + " offline");
            return 0;
        }
    }

    static void print(PrintStream out, NativesReport r) {
        out.println("flavor " + r.flavor() + " (DJL " + r.layout().djlVersion() + ", PyTorch "
                + r.layout().pytorchVersion() + ", " + r.layout().classifier() + ") in " + r.dir());
        out.println("  present: " + (r.present().isEmpty() ? "(nothing)" : String.join(", ", r.present())));
        out.println("  missing: " + (r.missing().isEmpty() ? "(nothing)" : String.join(", ", r.missing())));
    }
}
