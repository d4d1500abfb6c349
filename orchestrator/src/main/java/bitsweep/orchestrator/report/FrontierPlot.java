package bitsweep.orchestrator.report;

import bitsweep.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frontier plot ({@code frontier.png}, {@code frontier.svg}) drawn with XChart: x = relative BOPs
 * (log scale), y = top-1; per variant the frontier as a staircase (the best top-1 reachable at or
 * below a BOP budget) plus its dominated trials as faint markers; the paper's results as black
 * diamonds/squares.
 */
public final class FrontierPlot {

    public static final String PNG = "frontier.png";
    public static final String SVG = "frontier.svg";
    static final int WIDTH = 1100;
    static final int HEIGHT = 600;

    private static final Logger LOG = LoggerFactory.getLogger(FrontierPlot.class);
    /** Colour-blind-safe palette (Okabe–Ito), one colour per variant. */
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(240, 228, 66)};

    static {
        // XChart renders through AWT; a server has no display.
        System.setProperty("java.awt.headless", "true");
    }

    private FrontierPlot() {
    }

    /** Writes both files; returns the PNG's bytes (the HTML report embeds them). */
    public static byte[] write(Path dir, SweepReport report) throws IOException {
        XYChart chart = chart(report);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.writeBytes(dir.resolve(PNG), png);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        AtomicFiles.writeBytes(dir.resolve(SVG), svg.toByteArray());
        return png;
    }

    static XYChart chart(SweepReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(report.sweep() + ": top-1 vs relative BOPs" + (report.experiment() == null ? ""
                        : " (" + report.experiment() + ")"))
                .xAxisTitle("relative BOPs (%, log scale)").yAxisTitle("top-1 (%)").build();
        style(chart.getStyler());

        Range x = new Range();
        Range y = new Range();
        int colour = 0;
        for (VariantFrontier f : report.frontiers()) {
            Color c = PALETTE[colour++ % PALETTE.length];
            List<TrialPoint> front = plottable(f.frontier());
            List<TrialPoint> dominated = plottable(f.dominated());
            if (!front.isEmpty()) {
                XYSeries s = chart.addSeries(f.variant() + " frontier (" + front.size() + ")",
                        xs(front), ys(front));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(c);
                s.setLineColor(c);
                s.setLineStyle(new BasicStroke(2f));
                front.forEach(p -> { x.add(p.relativeBops()); y.add(p.top1()); });
            }
            if (!dominated.isEmpty()) {
                XYSeries s = chart.addSeries(f.variant() + " dominated (" + dominated.size() + ")",
                        xs(dominated), ys(dominated));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70));
                dominated.forEach(p -> { x.add(p.relativeBops()); y.add(p.top1()); });
            }
        }
        var markers = List.of(SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP);
        int i = 0;
        for (PaperReference ref : PaperReference.forExperiment(report.experiment())) {
            XYSeries s = chart.addSeries(String.format(java.util.Locale.ROOT, "%s (%.2f %%, %.2f %%)",
                    ref.label(), ref.relativeBops(), ref.top1()),
                    new double[] {ref.relativeBops()}, new double[] {ref.top1()});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(markers.get(i++ % markers.size()));
            s.setMarkerColor(Color.BLACK);
            x.add(ref.relativeBops());
            y.add(ref.top1());
        }
        if (x.empty()) {
            // Nothing completed and no paper point: keep a valid, labelled, empty chart.
            chart.setTitle(chart.getTitle() + " — no completed trials");
            XYSeries s = chart.addSeries("no completed trials", new double[] {1.0}, new double[] {0.0});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.NONE);
            x.add(1.0);
            y.add(0.0);
        }
        // XChart labels a log axis at decades only (its non-decade mode mislabels ticks), so the x range
        // is widened to whole decades: at least two labelled ticks, and the 2…9 grid lines in between.
        chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(x.min / 1.15))))
                .setXAxisMax(Math.pow(10, Math.ceil(Math.log10(x.max * 1.15))));
        double pad = Math.max(0.5, 0.08 * (y.max - y.min));
        chart.getStyler().setYAxisMin(Math.max(0.0, y.min - pad)).setYAxisMax(Math.min(100.0, y.max + pad));
        return chart;
    }

    private static void style(org.knowm.xchart.style.XYStyler s) {
        s.setXAxisLogarithmic(true);
        s.setXAxisDecimalPattern("0.####");
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setMarkerSize(9);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setYAxisDecimalPattern("0.0#");
        s.setAntiAlias(true);
    }

    /** Log axis: a point at ≤ 0 % BOPs cannot be drawn (it stays in the tables). */
    private static List<TrialPoint> plottable(List<TrialPoint> points) {
        List<TrialPoint> out = new ArrayList<>();
        for (TrialPoint p : points) {
            if (p.relativeBops() > 0) {
                out.add(p);
            } else {
                LOG.warn("Trial {} has relative BOPs {} and cannot be drawn on the log axis", p.trialId(),
                        p.relativeBops());
            }
        }
        return out;
    }

    private static double[] xs(List<TrialPoint> points) {
        return points.stream().mapToDouble(TrialPoint::relativeBops).toArray();
    }

    private static double[] ys(List<TrialPoint> points) {
        return points.stream().mapToDouble(TrialPoint::top1).toArray();
    }

    private static final class Range {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double v) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        boolean empty() {
            return min > max;
        }
    }
}
