package bitsweep.orchestrator.supervisor;

import java.util.AbstractList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import scala.Option;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;
import scala.collection.immutable.TreeMap;
import scala.collection.immutable.TreeMap$;
import scala.math.Ordering;
import scala.math.Ordering$;

/**
 * The queue of trial ids waiting for a worker, immutable and structurally shared like {@link TrialMap}:
 * adding at either end, removing any id and {@code contains} cost O(log N) instead of a copy of the
 * whole queue. Each id holds a position key (the front counts down, the back counts up) in a
 * persistent sorted map, plus a persistent id→key index.
 *
 * <p>A read-only {@link List} in queue order (head first); iterate it, {@link #get} walks from the
 * head. Not {@link java.util.RandomAccess}, so Jackson writes it with its iterator.
 */
public final class TrialQueue extends AbstractList<String> {
    private static final Ordering<Long> ORDER = Ordering$.MODULE$.comparatorToOrdering(Comparator.<Long>naturalOrder());
    private static final TrialQueue EMPTY = new TrialQueue(TreeMap$.MODULE$.empty(ORDER), HashMap$.MODULE$.empty(),
            -1, 0);

    private final TreeMap<Long, String> byPosition;
    private final HashMap<String, Long> positions;
    /** Key the next {@link #withFirst} gets. */
    private final long front;
    /** Key the next {@link #withLast} gets. */
    private final long back;

    private TrialQueue(TreeMap<Long, String> byPosition, HashMap<String, Long> positions, long front, long back) {
        this.byPosition = byPosition;
        this.positions = positions;
        this.front = front;
        this.back = back;
    }

    public static TrialQueue empty() {
        return EMPTY;
    }

    /** {@code ids} as a TrialQueue (itself when it is one), in order; a repeated id keeps its first place. */
    public static TrialQueue of(List<String> ids) {
        if (ids instanceof TrialQueue q) {
            return q;
        }
        TrialQueue out = EMPTY;
        for (String id : ids) {
            out = out.withLast(id);
        }
        return out;
    }

    /** This queue with {@code id} at the back (unchanged when it is queued already). */
    public TrialQueue withLast(String id) {
        if (contains(id)) {
            return this;
        }
        return new TrialQueue(byPosition.updated(back, id), positions.updated(id, back), front, back + 1);
    }

    /** This queue with {@code id} at the front (unchanged when it is queued already). */
    public TrialQueue withFirst(String id) {
        if (contains(id)) {
            return this;
        }
        return new TrialQueue(byPosition.updated(front, id), positions.updated(id, front), front - 1, back);
    }

    /** This queue without {@code id} (unchanged when it is not queued). */
    public TrialQueue without(String id) {
        Option<Long> key = positions.get(id);
        if (key.isEmpty()) {
            return this;
        }
        return new TrialQueue(byPosition.removed(key.get()), positions.removed(id), front, back);
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof String id && positions.contains(id);
    }

    @Override
    public int size() {
        return positions.size();
    }

    @Override
    public Iterator<String> iterator() {
        return TrialMap.javaIterator(byPosition.valuesIterator());
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(index);
        }
        Iterator<String> it = iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return it.next();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof List<?> other) || other.size() != size()) {
            return false;
        }
        Iterator<?> b = other.iterator();
        for (String a : this) {
            if (!a.equals(b.next())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (String s : this) {
            h = 31 * h + s.hashCode();
        }
        return h;
    }
}
