package bitsweep.sweep;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** A 1-based line/column position in a sweep file, for {@code file:line:col:} messages. */
record Pos(int line, int column) {
    static final Pos START = new Pos(1, 1);

    static Pos of(Optional<Mark> mark) {
        return mark.map(m -> new Pos(m.getLine() + 1, m.getColumn() + 1)).orElse(START);
    }

    static Pos of(Node node) {
        return of(node.getStartMark());
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
