package bitsweep.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/architecture.md, enforced on the compiled main classes of every module: no
 * package cycles, each module's classes inside its own package roots, and dependencies pointing only the
 * allowed way (core at the bottom, free of Pekko and picocli).
 */
class ArchitectureTest {

    /** Module → the package roots its classes live in. */
    static final Map<String, List<String>> ROOTS = Map.of(
            "core", List.of("bitsweep.trial", "bitsweep.quant", "bitsweep.bops", "bitsweep.nn", "bitsweep.autograd",
                    "bitsweep.artifact", "bitsweep.io", "bitsweep.natives", "bitsweep.data", "bitsweep.train"),
            "export", List.of("bitsweep.export"),
            "sweep", List.of("bitsweep.sweep"),
            "protocol", List.of("bitsweep.protocol", "bitsweep.cluster"),
            "worker", List.of("bitsweep.worker"),
            "orchestrator", List.of("bitsweep.orchestrator"),
            "app", List.of("bitsweep.app"));

    /** Module → the modules it may use (besides itself). */
    static final Map<String, List<String>> ALLOWED = Map.of(
            "core", List.of(),
            "export", List.of("core"),
            "sweep", List.of("core"),
            "protocol", List.of("core", "sweep"),
            "worker", List.of("core", "sweep", "protocol"),
            "orchestrator", List.of("core", "export", "sweep", "protocol"),
            "app", List.of("core", "export", "sweep", "protocol", "worker", "orchestrator"));

    // target/classes of a module in the reactor, or its jar from the local repository
    private static final Pattern MODULE_DIR = Pattern.compile("/(core|export|sweep|protocol|worker|orchestrator|app)/target[^/]*/classes/");
    private static final Pattern MODULE_JAR = Pattern.compile("/(?:bitsweep-)?(core|export|sweep|protocol|worker|orchestrator|app)-[^/]*\\.jar");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        ImportOption noTestJars = location -> !location.contains("-tests.jar") && !location.contains("/test-classes/");
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(noTestJars)
                .importPackages("bitsweep");
    }

    static Optional<String> moduleOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        for (Pattern p : List.of(MODULE_DIR, MODULE_JAR)) {
            Matcher m = p.matcher(uri);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    static Optional<String> moduleOfPackage(String pkg) {
        return ROOTS.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(r -> pkg.equals(r) || pkg.startsWith(r + ".")))
                .map(Map.Entry::getKey).findFirst();
    }

    @Test
    void everyModuleIsOnTheClassPathAndNoClassIsOutsideTheModuleMap() {
        Map<String, Integer> perModule = new TreeMap<>();
        List<String> stray = new ArrayList<>();
        for (JavaClass c : classes) {
            Optional<String> module = moduleOf(c);
            perModule.merge(module.orElse("?"), 1, Integer::sum);
            if (module.isEmpty() || !module.equals(moduleOfPackage(c.getPackageName()))) {
                stray.add(c.getName() + " (module " + module.orElse("?") + ", source "
                        + c.getSource().map(s -> s.getUri().toString()).orElse("?") + ")");
            }
        }
        assertEquals(ROOTS.keySet(), perModule.keySet(), "modules found: " + perModule);
        assertTrue(stray.isEmpty(), "classes outside their module's package roots:\n" + String.join("\n", stray));
    }

    @Test
    void modulesDependOnlyOnTheModulesBelowThem() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            String from = moduleOfPackage(c.getPackageName()).orElseThrow();
            c.getDirectDependenciesFromSelf().forEach(d -> {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                moduleOfPackage(target.getPackageName())
                        .filter(to -> !to.equals(from) && !ALLOWED.get(from).contains(to))
                        .ifPresent(to -> violations.add(from + " -> " + to + ": " + d.getDescription()));
            });
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations.stream().distinct().toList()));
    }

    @Test
    void noPackageCycles() {
        slices().matching("bitsweep.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void coreExportAndSweepUseNeitherPekkoNorPicocli() {
        noClasses().that().resideInAnyPackage(packagesOf("core", "export", "sweep"))
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "picocli..")
                .check(classes);
    }

    @Test
    void theReportLivesInsideTheOrchestratorsPackageRoot() {
        noClasses().that().resideOutsideOfPackage("bitsweep.orchestrator..")
                .should().resideInAPackage("..report..").check(classes);
    }

    private static String[] packagesOf(String... modules) {
        List<String> out = new ArrayList<>();
        for (String m : modules) {
            ROOTS.get(m).forEach(r -> out.add(r + ".."));
        }
        return out.toArray(String[]::new);
    }
}
