package bitsweep.cli;

/**
 * Marker for a {@code bitsweep} subcommand: a picocli {@code @Command} class that is also a
 * {@code Callable<Integer>}. Each module lists its subcommands in
 * {@code META-INF/services/bitsweep.cli.Subcommand}; the launcher's {@code Main} finds them with
 * {@link java.util.ServiceLoader}, so modules never depend on each other to add a command.
 */
public interface Subcommand {
}
