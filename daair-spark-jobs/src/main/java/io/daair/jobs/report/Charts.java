package io.daair.jobs.report;

import io.daair.jobs.train.RoundMetrics;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart and returned as PNG bytes (at twice the nominal size, so they stay
 * sharp on high-density screens and in print). Works headless; needs only the JDK's fonts.
 */
final class Charts {

    static final int WIDTH = 560;
    static final int HEIGHT = 340;
    private static final int SCALE = 2;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Color GRID = new Color(0xE6, 0xE9, 0xEF);
    private static final Color[] SERIES = {
        new Color(0x2F, 0x6F, 0xDE),
        new Color(0xE0, 0x7A, 0x1F),
        new Color(0x2E, 0x9E, 0x5B),
        new Color(0xC2, 0x3B, 0x52)
    };

    private Charts() {}

    /**
     * One box (median, quartiles, whiskers) per entry of {@code values}; non-finite values are left out, and
     * with no finite value at all there is no chart.
     */
    static Optional<byte[]> boxPlot(String title, String yTitle, Map<String, List<Double>> values) {
        BoxChart chart = new BoxChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        if (values.size() > 4) {
            chart.getStyler().setXAxisLabelRotation(30);
        }
        values.forEach((name, vs) -> {
            List<Double> finite = vs.stream().filter(Double::isFinite).toList();
            if (!finite.isEmpty()) {
                chart.addSeries(PaperResults.heading(name), finite);
            }
        });
        return chart.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(png(chart));
    }

    /**
     * The confusion matrix as a heat map of row percentages (each true degradation's images, split over the
     * experts), first row on top, so that a good router is a dark diagonal whatever the benchmark sizes.
     */
    static byte[] heatmap(ConfusionMatrix routing) {
        HeatMapChart chart = new HeatMapChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Routed expert, % of each true degradation")
                .xAxisTitle("routed expert")
                .yAxisTitle("true degradation")
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0");
        chart.getStyler().setValueFont(TITLE_FONT);
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(100);
        // light enough at 100% for the black values to stay readable
        chart.getStyler().setRangeColors(new Color[] {new Color(0xF4, 0xF7, 0xFC), new Color(0x6F, 0x9B, 0xE8)});
        chart.getStyler().setDrawBorder(true);
        long[][] counts = routing.counts();
        int rows = counts.length;
        List<Number[]> cells = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            long total = Arrays.stream(counts[row]).sum();
            for (int column = 0; column < counts[row].length; column++) {
                double percent = total == 0 ? 0 : 100.0 * counts[row][column] / total;
                cells.add(new Number[] {column, rows - 1 - row, percent}); // y grows upwards: first row on top
            }
        }
        List<String> labelsBottomUp = new ArrayList<>(routing.labels());
        Collections.reverse(labelsBottomUp);
        chart.addSeries("routing", routing.experts(), labelsBottomUp, cells);
        return png(chart);
    }

    /** Lines of training figures against the optimizer step, one per entry of {@code series}. */
    static byte[] curves(
            String title,
            String yTitle,
            List<RoundMetrics> points,
            Map<String, ToDoubleFunction<RoundMetrics>> series) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("step")
                .yAxisTitle(yTitle)
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        double[] steps = points.stream().mapToDouble(RoundMetrics::step).toArray();
        series.forEach((name, value) -> {
            XYSeries s = chart.addSeries(
                    name, steps, points.stream().mapToDouble(value).toArray());
            s.setMarker(points.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        });
        return png(chart);
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setChartTitleBoxVisible(false);
        styler.setLegendFont(FONT);
        styler.setLegendBorderColor(GRID);
        styler.setSeriesColors(SERIES);
        styler.setAntiAlias(true);
        if (styler instanceof AxesChartStyler axes) {
            axes.setAxisTickLabelsFont(FONT);
            axes.setAxisTitleFont(FONT);
            axes.setPlotGridLinesColor(GRID);
            axes.setAxisTickMarksColor(Color.GRAY);
        }
    }

    private static byte[] png(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(WIDTH * SCALE, HEIGHT * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.scale(SCALE, SCALE);
        chart.paint(g, WIDTH, HEIGHT);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a chart as PNG", e);
        }
        return out.toByteArray();
    }
}
