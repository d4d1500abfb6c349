package bitsweep.orchestrator.supervisor;

import bitsweep.sweep.TrialStatus;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.VectorMap$;
import scala.collection.immutable.VectorMap;

/**
 * The sweep's trials in insertion order, immutable and structurally shared: {@link #with} costs
 * O(log32 N) and leaves this map untouched, so the supervisor no longer copies every trial on every
 * event, while the snapshot store and the trials.jsonl writer can still read an old version on their
 * own threads. Backed by Scala's persistent {@code VectorMap} (Pekko puts scala-library on the class
 * path). Keeps the number of trials per status and the sum of completed trials' times, so counting and
 * the mean trial time (the ETAs of the console, live view and progress) are O(1).
 *
 * <p>Read-only as a {@link Map} (Jackson writes it like any map, so snapshots keep their format).
 */
public final class TrialMap extends AbstractMap<String, TrialEntry> {
    private static final TrialMap EMPTY = new TrialMap(VectorMap$.MODULE$.empty(),
            new int[TrialStatus.values().length], 0, 0);

    private final VectorMap<String, TrialEntry> map;
    /** Trials per status, indexed by {@link TrialStatus#ordinal()}. */
    private final int[] counts;
    /** Trials with a result, and the sum of their wall times. */
    private final int results;
    private final double resultSeconds;

    private TrialMap(VectorMap<String, TrialEntry> map, int[] counts, int results, double resultSeconds) {
        this.map = map;
        this.counts = counts;
        this.results = results;
        this.resultSeconds = resultSeconds;
    }

    public static TrialMap empty() {
        return EMPTY;
    }

    /** {@code trials} as a TrialMap (itself when it is one: no copy), in its iteration order. */
    public static TrialMap of(Map<String, TrialEntry> trials) {
        if (trials instanceof TrialMap t) {
            return t;
        }
        // a builder, not one persistent update per trial: a 100,000-trial snapshot loads this way
        scala.collection.mutable.Builder<Tuple2<String, TrialEntry>, VectorMap<String, TrialEntry>> b =
                VectorMap$.MODULE$.newBuilder();
        int[] c = new int[TrialStatus.values().length];
        int results = 0;
        double seconds = 0;
        for (Map.Entry<String, TrialEntry> e : trials.entrySet()) {
            b.addOne(new Tuple2<>(e.getKey(), e.getValue()));
            c[e.getValue().status().ordinal()]++;
            if (e.getValue().result() != null) {
                results++;
                seconds += e.getValue().result().wallSeconds();
            }
        }
        return new TrialMap(b.result(), c, results, seconds);
    }

    /** This map with {@code id} set to {@code entry} (a new id goes last; a known one keeps its place). */
    public TrialMap with(String id, TrialEntry entry) {
        int[] c = counts.clone();
        int n = results;
        double seconds = resultSeconds;
        TrialEntry old = get(id);
        if (old != null) {
            c[old.status().ordinal()]--;
            if (old.result() != null) {
                n--;
                seconds -= old.result().wallSeconds();
            }
        }
        c[entry.status().ordinal()]++;
        if (entry.result() != null) {
            n++;
            seconds += entry.result().wallSeconds();
        }
        return new TrialMap(map.updated(id, entry), c, n, n == 0 ? 0 : seconds);
    }

    /** The mean wall time of the trials with a result (O(1)); NaN while none has one. */
    public double meanResultSeconds() {
        return results == 0 ? Double.NaN : resultSeconds / results;
    }

    /** How many trials have {@code status} (O(1)). */
    public int count(TrialStatus status) {
        return counts[status.ordinal()];
    }

    /** How many trials are completed, failed or cancelled (O(1)). */
    public int terminalCount() {
        int n = 0;
        for (TrialStatus s : TrialStatus.values()) {
            n += s.ended() ? counts[s.ordinal()] : 0;
        }
        return n;
    }

    @Override
    public TrialEntry get(Object key) {
        if (!(key instanceof String id)) {
            return null;
        }
        Option<TrialEntry> v = map.get(id);
        return v.isEmpty() ? null : v.get();
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String id && map.contains(id);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public Collection<TrialEntry> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<TrialEntry> iterator() {
                return javaIterator(map.valuesIterator());
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }

    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return javaIterator(map.keysIterator());
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }

    @Override
    public Set<Map.Entry<String, TrialEntry>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, TrialEntry>> iterator() {
                scala.collection.Iterator<Tuple2<String, TrialEntry>> it = map.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<String, TrialEntry> next() {
                        Tuple2<String, TrialEntry> t = it.next();
                        return new AbstractMap.SimpleImmutableEntry<>(t._1(), t._2());
                    }
                };
            }

            @Override
            public int size() {
                return map.size();
            }
        };
    }

    static <T> Iterator<T> javaIterator(scala.collection.Iterator<T> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public T next() {
                return it.next();
            }
        };
    }
}
