package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Fixtures.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.orchestrator.report.FrontierPlot;
import bitsweep.orchestrator.report.ParetoFrontier;
import bitsweep.orchestrator.report.SweepReport;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.w3c.dom.Document;

public class FrontierPlotTest {

    @TempDir
    Path dir;

    public static List<TrialRecord> twoVariantSweep() {
        return List.of(
                completed("p-mu0.01", "pruning", 0.01, 1, 99.35, 0.80),
                completed("p-mu0.03", "pruning", 0.03, 1, 99.28, 0.52),
                completed("p-mu0.1", "pruning", 0.1, 1, 99.10, 0.34),
                completed("p-mu0.3", "pruning", 0.3, 1, 98.60, 0.21),
                completed("p-mu0.1-s2", "pruning", 0.1, 2, 98.90, 0.45),
                completed("n-mu0.01", "no-pruning", 0.01, 1, 99.30, 1.60),
                completed("n-mu0.1", "no-pruning", 0.1, 1, 99.05, 0.95),
                completed("n-mu0.3", "no-pruning", 0.3, 1, 98.20, 1.20),
                Fixtures.withStatus("p-mu1", "pruning", 1.0, TrialStatus.FAILED, "diverged"));
    }

    private static SweepReport report(List<TrialRecord> records, String experiment) {
        return new SweepReport(Fixtures.SWEEP, experiment, records, ParetoFrontier.of(records), Map.of());
    }

    @Test
    void writesReadablePngAndWellFormedSvg() throws Exception {
        byte[] png = FrontierPlot.write(dir, report(twoVariantSweep(), "mnist"));
        BufferedImage image = ImageIO.read(dir.resolve(FrontierPlot.PNG).toFile());
        assertNotNull(image, "frontier.png is not a readable image");
        assertEquals(FrontierPlot.WIDTH, image.getWidth());
        assertEquals(FrontierPlot.HEIGHT, image.getHeight());
        assertEquals(java.nio.file.Files.size(dir.resolve(FrontierPlot.PNG)), png.length);
        Document svg = parseXml(dir.resolve(FrontierPlot.SVG));
        assertEquals("svg", svg.getDocumentElement().getLocalName() != null
                ? svg.getDocumentElement().getLocalName() : svg.getDocumentElement().getTagName());
    }

    @Test
    void chartHasFrontierAndDominatedSeriesPerVariantAndThePaperPoint() {
        XYChart chart = FrontierPlot.chart(report(twoVariantSweep(), "mnist"));
        var names = chart.getSeriesMap().keySet();
        assertTrue(names.contains("pruning frontier (4)"), names.toString());
        assertTrue(names.contains("pruning dominated (1)"), names.toString());
        assertTrue(names.contains("no-pruning frontier (2)"), names.toString());
        assertTrue(names.contains("no-pruning dominated (1)"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("paper LeNet-5") && n.contains("0.36 %")
                && n.contains("99.30 %")), names.toString());
        assertTrue(chart.getStyler().isXAxisLogarithmic());
    }

    @Test
    void logAxisSpansWholeDecadesAroundTheData() {
        XYChart chart = FrontierPlot.chart(report(twoVariantSweep(), "mnist"));
        // Data 0.21 … 1.6 % (paper point 0.36 %): XChart labels decades only, so the axis is 0.1 … 10.
        assertEquals(0.1, chart.getStyler().getXAxisMin(), 1e-12);
        assertEquals(10.0, chart.getStyler().getXAxisMax(), 1e-12);
        assertTrue(chart.getStyler().getYAxisMin() < 98.2 && chart.getStyler().getYAxisMax() > 99.35);
    }

    @Test
    void cifarSweepShowsBothVgg7ReferencePointsAndImagenetNone() {
        var cifar = FrontierPlot.chart(report(List.of(completed("c", "v", 0.1, 1, 92.0, 0.4)), "cifar10"));
        assertEquals(2, cifar.getSeriesMap().keySet().stream().filter(n -> n.startsWith("paper VGG-7")).count());
        var imagenet = FrontierPlot.chart(report(List.of(completed("i", "v", 0.1, 1, 69.0, 3.0)), "imagenet"));
        assertTrue(imagenet.getSeriesMap().keySet().stream().noneMatch(n -> n.startsWith("paper")));
    }

    @Test
    void allFailedSweepStillGivesValidImages() throws Exception {
        FrontierPlot.write(dir, report(List.of(
                Fixtures.withStatus("f", "v", 0.1, TrialStatus.FAILED, "boom")), "imagenet"));
        assertNotNull(ImageIO.read(dir.resolve(FrontierPlot.PNG).toFile()));
        parseXml(dir.resolve(FrontierPlot.SVG));
    }

    @Test
    void singlePointSweepGivesValidImages() throws IOException {
        FrontierPlot.write(dir, report(List.of(completed("one", "v", 0.1, 1, 99.0, 0.4)), "mnist"));
        assertNotNull(ImageIO.read(dir.resolve(FrontierPlot.PNG).toFile()));
    }

    static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // Never resolve a DTD over the network while parsing.
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(file.toFile());
    }
}
