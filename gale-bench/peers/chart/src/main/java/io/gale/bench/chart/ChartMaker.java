package io.gale.bench.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns the harness's chart table into one PNG bar chart per chart id, with XChart.
 *
 * <p>Usage: {@code ChartMaker CHARTS_CSV OUT_DIR}. The CSV (written by gale-bench/harness) has the
 * header {@code chart,title,y_label,category,series,value}: one row per bar. Rows of one chart
 * become one PNG {@code OUT_DIR/<chart>.png}; categories (peers) keep their first-seen order, each
 * series is one colour. Fields never contain commas or quotes (the harness guarantees it), so a
 * plain split is a complete parser for this format. A missing value draws no bar.
 */
public final class ChartMaker {
    private ChartMaker() {}

    /** One chart's title, axis label and values: series name, then category, then value. */
    private record Chart(String title, String yLabel, List<String> categories, Map<String, Map<String, Double>> series) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ChartMaker CHARTS_CSV OUT_DIR");
            System.exit(2);
        }
        Map<String, Chart> charts = read(Path.of(args[0]));
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (Map.Entry<String, Chart> e : charts.entrySet()) {
            Path png = out.resolve(e.getKey() + ".png");
            BitmapEncoder.saveBitmap(render(e.getValue()), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            System.out.println("chart " + png);
        }
    }

    static Map<String, Chart> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals("chart,title,y_label,category,series,value")) {
            throw new IOException(csv + ": unexpected header");
        }
        Map<String, Chart> charts = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            if (f.length != 6) {
                throw new IOException(csv + ":" + (i + 1) + ": expected 6 fields, got " + f.length);
            }
            Chart c = charts.computeIfAbsent(f[0], k -> new Chart(f[1], f[2], new ArrayList<>(), new LinkedHashMap<>()));
            if (!c.categories().contains(f[3])) {
                c.categories().add(f[3]);
            }
            if (!f[5].isEmpty()) {
                c.series().computeIfAbsent(f[4], k -> new LinkedHashMap<>()).put(f[3], Double.parseDouble(f[5]));
            }
        }
        return charts;
    }

    private static CategoryChart render(Chart c) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(c.title()).xAxisTitle("").yAxisTitle(c.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setYAxisDecimalPattern("#,###.##");
        chart.getStyler().setXAxisLabelRotation(20);
        for (Map.Entry<String, Map<String, Double>> s : c.series().entrySet()) {
            List<Double> ys = new ArrayList<>(c.categories().size());
            for (String cat : c.categories()) {
                ys.add(s.getValue().get(cat)); // null: XChart leaves the slot empty
            }
            chart.addSeries(s.getKey(), c.categories(), ys);
        }
        return chart;
    }
}
