package bitsweep.data;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns an {@link ImageDataset} into mini-batches of plain arrays ({@code float[] N·C·H·W},
 * {@code int[] N}) for the trainer, which wraps them into NDArrays in its per-batch manager.
 *
 * <ul>
 *   <li>Only the first {@code limit} examples of the split are used ({@code limit <= 0}: all).</li>
 *   <li>Training epochs visit those examples in an order shuffled from {@code (seed, epoch)} and
 *       apply the split's training transform; each example's augmentation generator is derived
 *       from {@code (seed, epoch, position)}, so an epoch's batches are bit-identical for a given
 *       seed whatever the number of worker threads. Evaluation epochs keep the file order and use
 *       the evaluation transform.</li>
 *   <li>The last partial batch: evaluation always keeps it (every test example counts); training
 *       keeps it unless {@code dropLastTrainBatch} is set (PyTorch's {@code drop_last=False}
 *       default, which the reference uses).</li>
 *   <li>A background thread prepares up to {@code prefetch} batches ahead; with
 *       {@code workers > 1} the examples of a batch are decoded in parallel (for ImageNet JPEGs).</li>
 * </ul>
 *
 * A read failure inside the dataset (e.g. an unreadable JPEG) surfaces from {@link Epoch#next()}
 * as the {@link UncheckedIOException} the dataset threw, naming the file.
 */
public final class BatchLoader implements AutoCloseable {

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final ImageDataset dataset;
    private final int batchSize;
    private final boolean train;
    private final long seed;
    private final int count;
    private final boolean dropLast;
    private final int prefetch;
    private final int workers;
    private final ExecutorService decodePool;

    /**
     * @param limit    use only the first {@code limit} examples; {@code <= 0} for the whole split
     * @param workers  threads decoding one batch ({@code 1}: the prefetch thread alone)
     * @param prefetch batches prepared ahead of the consumer ({@code >= 1})
     */
    public BatchLoader(ImageDataset dataset, int batchSize, boolean train, long seed, int limit,
                       boolean dropLastTrainBatch, int workers, int prefetch) {
        if (batchSize < 1 || workers < 1 || prefetch < 1) {
            throw new IllegalArgumentException("batchSize, workers and prefetch must be >= 1, got "
                    + batchSize + ", " + workers + ", " + prefetch);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.train = train;
        this.seed = seed;
        this.count = limit <= 0 ? dataset.size() : Math.min(limit, dataset.size());
        this.dropLast = train && dropLastTrainBatch;
        this.prefetch = prefetch;
        this.workers = workers;
        this.decodePool = workers > 1 ? Executors.newFixedThreadPool(workers, daemon("data-decode")) : null;
    }

    /** Single-threaded decoding, two batches of prefetch, partial last batch kept. */
    public static BatchLoader of(ImageDataset dataset, int batchSize, boolean train, long seed, int limit) {
        return new BatchLoader(dataset, batchSize, train, seed, limit, false, 1, 2);
    }

    public ImageDataset dataset() {
        return dataset;
    }

    /** Number of examples an epoch draws from (after {@code limit}). */
    public int examples() {
        return count;
    }

    public int batchesPerEpoch() {
        return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits example indices. */
    public int[] order(int epoch) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        if (train) {
            Random rng = new Random(mix(seed, epoch, -1));
            for (int i = count - 1; i > 0; i--) { // Fisher–Yates
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** Starts producing the batches of one epoch in the background. Close it when done. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch);
    }

    @Override
    public void close() {
        if (decodePool != null) {
            decodePool.shutdownNow();
        }
    }

    /** One mini-batch; {@code images} holds {@code size·C·H·W} valid floats (the arrays may be longer). */
    public static final class Batch {
        private final float[] images;
        private final int[] labels;
        private final int pixels;
        private int size;
        private int index;

        Batch(int capacity, int pixels) {
            this.images = new float[capacity * pixels];
            this.labels = new int[capacity];
            this.pixels = pixels;
        }

        public float[] images() {
            return images;
        }

        public int[] labels() {
            return labels;
        }

        /** Examples in this batch (smaller than the batch size only for the last one). */
        public int size() {
            return size;
        }

        /** Position of this batch in its epoch, from 0. */
        public int index() {
            return index;
        }

        public int pixelsPerExample() {
            return pixels;
        }
    }

    /**
     * The batches of one epoch. A batch returned by {@link #next()} stays valid until the following
     * {@code next()} or {@link #close()}: its arrays are then reused for a later batch.
     */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private static final Batch END = new Batch(0, 0);

        private final int epoch;
        private final int[] order;
        private final int batches = batchesPerEpoch();
        private final BlockingQueue<Batch> free;
        private final BlockingQueue<Object> ready; // Batch, END or a RuntimeException
        private final Thread producer;
        private Batch held;
        private Object peeked;
        private volatile boolean closed;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            int pixels = dataset.info().pixelsPerExample();
            this.free = new ArrayBlockingQueue<>(prefetch + 1);
            this.ready = new ArrayBlockingQueue<>(prefetch + 2);
            for (int i = 0; i < prefetch + 1; i++) {
                free.add(new Batch(batchSize, pixels));
            }
            this.producer = daemon("data-prefetch").newThread(this::produce);
            producer.start();
        }

        public int batches() {
            return batches;
        }

        private void produce() {
            try {
                for (int b = 0; b < batches && !closed; b++) {
                    Batch batch = free.take();
                    fill(batch, b);
                    ready.put(batch);
                }
                ready.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                ready.offer(e);
            }
        }

        private void fill(Batch batch, int b) throws InterruptedException {
            int start = b * batchSize;
            int n = Math.min(batchSize, count - start);
            batch.size = n;
            batch.index = b;
            if (decodePool == null || n < 2) {
                fillRange(batch, start, 0, n);
                return;
            }
            int chunk = (n + workers - 1) / workers;
            List<Future<?>> parts = new ArrayList<>();
            for (int from = 0; from < n; from += chunk) {
                int lo = from;
                int hi = Math.min(n, from + chunk);
                parts.add(decodePool.submit(() -> fillRange(batch, start, lo, hi)));
            }
            for (Future<?> part : parts) {
                try {
                    part.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        }

        private void fillRange(Batch batch, int start, int lo, int hi) {
            int pixels = batch.pixels;
            for (int k = lo; k < hi; k++) {
                int position = start + k;
                int example = order[position];
                Random augment = train ? new Random(mix(seed, epoch, position)) : null;
                dataset.read(example, batch.images, k * pixels, augment);
                batch.labels[k] = dataset.label(example);
            }
        }

        @Override
        public boolean hasNext() {
            return peek() != END;
        }

        @Override
        public Batch next() {
            Object item = peek();
            if (item == END) {
                throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
            }
            peeked = null;
            if (held != null) {
                free.add(held);
            }
            held = (Batch) item;
            return held;
        }

        private Object peek() {
            if (peeked == null && closed) {
                peeked = END;
            }
            if (peeked == null) {
                try {
                    peeked = ready.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a batch", e);
                }
            }
            if (peeked instanceof RuntimeException e) {
                throw e; // stays peeked: every later call reports the same failure
            }
            return peeked;
        }

        /** Stops the prefetch thread (e.g. when training is cancelled mid-epoch); the epoch then has no more batches. */
        @Override
        public void close() {
            closed = true;
            producer.interrupt();
            try {
                producer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            peeked = END;
            held = null;
        }

        boolean producerAlive() {
            return producer.isAlive();
        }
    }

    /** A well-mixed 64-bit seed from (seed, epoch, position) (SplitMix64 finaliser). */
    static long mix(long seed, int epoch, int position) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + position * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name + "-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
