package bitsweep.orchestrator.report;

import static bitsweep.orchestrator.report.Fixtures.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsweep.export.ValidationResult;
import bitsweep.orchestrator.report.ModelFiles;
import bitsweep.orchestrator.report.ParetoFrontier;
import bitsweep.orchestrator.report.ReportHtml;
import bitsweep.orchestrator.report.SweepReport;
import bitsweep.sweep.TrialRecord;
import bitsweep.sweep.TrialStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private static ValidationResult result(String id, String status, String message) {
        return new ValidationResult(id, ModelFiles.relativePath(id), "CPU", 10000, 99.1, 99.1, 0.9995, 2e-6,
                11_000, 240_000, status, message);
    }

    private static String render(List<TrialRecord> records, Map<String, ValidationResult> validations) {
        SweepReport report = new SweepReport(Fixtures.SWEEP, "mnist", records, ParetoFrontier.of(records), validations);
        return ReportHtml.render(report, PNG, Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void trialTableHasOneRowPerTrialWithStatusAndFrontierMark() {
        List<TrialRecord> records = FrontierPlotTest.twoVariantSweep();
        String html = render(records, Map.of());
        String table = html.substring(html.indexOf("id=\"trial-table\""), html.lastIndexOf("</table>"));
        assertEquals(records.size(), count(table, "<tr class=\""));
        assertTrue(table.contains("<tr class=\"failed\"><td><code>p-mu1</code>"), table);
        assertTrue(table.contains("diverged"));
        assertEquals(6, count(table, "★"), "six trials are on a frontier");
        assertTrue(html.contains("9 (8 completed, <span class=\"bad\">1 failed</span>"));
    }

    @Test
    void pageIsSelfContainedWithEmbeddedPlotAndNoExternalResources() {
        String html = render(FrontierPlotTest.twoVariantSweep(), Map.of());
        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG) + "\""));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no network resources");
        assertFalse(html.contains("<link"), "stylesheets are inline");
        assertFalse(Pattern.compile("<script[^>]*src=").matcher(html).find(), "scripts are inline");
        assertFalse(html.toLowerCase().contains("@import"));
        assertTrue(html.contains("<script>") && html.contains("table.sortable"));
    }

    @Test
    void userStringsAreHtmlEscaped() {
        String evil = "<img src=x onerror=alert(1)>&\"'";
        List<TrialRecord> records = new ArrayList<>(List.of(completed("t<1>", evil, 0.1, 1, 99.0, 0.4)));
        records.add(Fixtures.withStatus("t2", "v", 0.2, TrialStatus.FAILED, "<script>alert('x')</script>"));
        String html = render(records, Map.of("t<1>", result("t<1>", ValidationResult.MISMATCH, "<b>bad</b>")));
        assertFalse(html.contains(evil));
        assertFalse(html.contains("<script>alert"));
        assertFalse(html.contains("<b>bad</b>"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assertTrue(html.contains("<code>t&lt;1&gt;</code>"));
        assertTrue(html.contains("href=\"models/t_1_.onnx\""), "link targets use the sanitised file name");
    }

    @Test
    void validationTableHighlightsStatusAndLinksEachOnnxModel() {
        List<TrialRecord> records = List.of(
                completed("good", "v", 0.1, 1, 99.0, 0.4),
                completed("off", "v", 0.01, 1, 99.4, 0.9),
                completed("broken", "v", 0.001, 1, 99.5, 1.9));
        String html = render(records, Map.of(
                "good", result("good", ValidationResult.PASS, null),
                "off", result("off", ValidationResult.MISMATCH, "agreement 97.0 % < 99.9 %"),
                "broken", new ValidationResult("broken", "models/broken.onnx", null, 0, 0, 0, 0, 0, 0, 0,
                        ValidationResult.ERROR, "artifact not found")));
        String table = html.substring(html.indexOf("id=\"validation-table\""));
        table = table.substring(0, table.indexOf("</table>"));
        assertTrue(table.contains("<td class=\"status pass\">pass</td>"));
        assertTrue(table.contains("<td class=\"status mismatch\">mismatch</td>"));
        assertTrue(table.contains("<td class=\"status error\">error</td>"));
        assertTrue(table.contains("<a href=\"models/good.onnx\">models/good.onnx</a>"));
        assertTrue(table.contains("<a href=\"models/off.onnx\">"));
        assertFalse(table.contains("<a href=\"models/broken.onnx\">"), "no link to a model that was never written");
        assertTrue(html.contains("1 of 3 pass"));
        assertTrue(html.contains(".status.mismatch{"), "mismatch has its own highlight");
    }

    @Test
    void eachFrontierModelShowsItsPerLayerBitsAndKeptChannels() {
        String html = render(List.of(completed("m", "v", 0.1, 1, 99.0, 0.4)), Map.of());
        String models = html.substring(html.indexOf("id=\"frontier-models\""), html.indexOf("id=\"validation\""));
        assertEquals(1, count(models, "<details class=\"model\""));
        assertTrue(models.contains("<tr><td><code>conv1</code></td><td class=\"bits b4\">4</td>"
                + "<td class=\"bits b8\">8</td><td class=\"n\">8</td><td class=\"n\">12 / 20</td>"), models);
        assertTrue(models.contains("<td class=\"n\">200 / 500</td>"));
    }

    @Test
    void allFailedSweepStillRendersAValidPage() {
        String html = render(List.of(Fixtures.withStatus("f", "v", 0.1, TrialStatus.FAILED, "boom")), Map.of());
        assertTrue(html.contains("No completed trial, so no frontier."));
        assertTrue(html.trim().endsWith("</html>"));
    }

    private static int count(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
