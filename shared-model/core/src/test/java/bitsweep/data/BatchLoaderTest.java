package bitsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {

    private static final int N = 23;

    @TempDir
    Path dir;
    private ImageDataset mnist;

    @BeforeEach
    void writeTinyMnist() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), MnistDatasetTest.imageFile(N));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), MnistDatasetTest.labelFile(N));
        mnist = Datasets.open("mnist", dir, true);
    }

    /** Recovers each batch example's dataset index from its first pixel ((i·7) mod 256 / 255). */
    private static List<Integer> visited(BatchLoader loader, int epoch) {
        List<Integer> seen = new ArrayList<>();
        try (BatchLoader.Epoch batches = loader.epoch(epoch)) {
            while (batches.hasNext()) {
                BatchLoader.Batch b = batches.next();
                for (int k = 0; k < b.size(); k++) {
                    int index = Math.round(b.images()[k * 784] * 255f) / 7;
                    assertEquals(index % 10, b.labels()[k], "label travels with its image");
                    seen.add(index);
                }
            }
        }
        return seen;
    }

    @Test
    void trainingEpochVisitsEveryExampleOnceInASeededShuffledOrder() {
        try (BatchLoader loader = BatchLoader.of(mnist, 5, true, 42, 0)) {
            List<Integer> first = visited(loader, 0);
            assertEquals(N, first.size());
            List<Integer> sorted = new ArrayList<>(first);
            sorted.sort(null);
            for (int i = 0; i < N; i++) {
                assertEquals(i, sorted.get(i));
            }
            assertNotEquals(sorted, first, "training order is shuffled");
            assertEquals(first, visited(loader, 0), "same seed and epoch, same order");
            assertNotEquals(first, visited(loader, 1), "a new epoch reshuffles");
        }
        try (BatchLoader other = BatchLoader.of(mnist, 5, true, 43, 0)) {
            assertNotEquals(Arrays.stream(other.order(0)).boxed().toList(),
                    Arrays.stream(BatchLoader.of(mnist, 5, true, 42, 0).order(0)).boxed().toList());
        }
    }

    @Test
    void evaluationKeepsFileOrderAndTheLastPartialBatch() {
        try (BatchLoader loader = BatchLoader.of(mnist, 5, false, 42, 0)) {
            assertEquals(5, loader.batchesPerEpoch());
            List<Integer> seen = visited(loader, 3);
            for (int i = 0; i < N; i++) {
                assertEquals(i, seen.get(i));
            }
            try (BatchLoader.Epoch epoch = loader.epoch(0)) {
                int[] sizes = new int[5];
                for (int b = 0; b < 5; b++) {
                    sizes[b] = epoch.next().size();
                }
                assertArrayEquals(new int[] {5, 5, 5, 5, 3}, sizes);
                assertFalse(epoch.hasNext());
            }
        }
    }

    @Test
    void dropLastTrainBatchDropsOnlyThePartialBatch() {
        try (BatchLoader loader = new BatchLoader(mnist, 5, true, 1, 0, true, 1, 1)) {
            assertEquals(4, loader.batchesPerEpoch());
            assertEquals(20, visited(loader, 0).size());
        }
    }

    @Test
    void limitRestrictsEpochsToTheFirstExamples() {
        try (BatchLoader loader = BatchLoader.of(mnist, 4, true, 7, 10)) {
            assertEquals(10, loader.examples());
            assertEquals(3, loader.batchesPerEpoch());
            List<Integer> seen = visited(loader, 0);
            seen.sort(null);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
        }
    }

    @Test
    void parallelDecodingGivesTheSameBatchesAsOneThread() {
        try (BatchLoader one = new BatchLoader(mnist, 6, true, 9, 0, false, 1, 1);
             BatchLoader many = new BatchLoader(mnist, 6, true, 9, 0, false, 3, 3)) {
            assertEquals(visited(one, 2), visited(many, 2));
        }
    }

    @Test
    void closingAnEpochEarlyStopsItsPrefetchThreadAndEndsTheEpoch() {
        try (BatchLoader loader = BatchLoader.of(mnist, 1, true, 9, 0)) {
            BatchLoader.Epoch epoch = loader.epoch(0);
            epoch.next();
            epoch.close();
            assertFalse(epoch.producerAlive());
            assertFalse(epoch.hasNext());
        }
    }
}
