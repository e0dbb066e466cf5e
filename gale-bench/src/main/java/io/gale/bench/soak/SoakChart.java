package io.gale.bench.soak;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's chart as one SVG file (no dependency, readable on GitHub): five panels over time,
 * heap after GC, RSS, descriptors, loop lag and exchanges per interval, the demo in blue and the
 * relay in orange.
 */
final class SoakChart {
    private static final int W = 860;
    private static final int PANEL = 150;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;

    private record Series(String name, String colour, ToDoubleFunction<Sample> value) {
    }

    private SoakChart() {
    }

    static String svg(List<Sample> samples, String title) {
        List<List<Series>> panels = List.of(
                List.of(new Series("demo heap after GC (MiB)", "#1f77b4", s -> s.demoHeapKib() / 1024.0),
                        new Series("relay heap after GC (MiB)", "#ff7f0e", s -> s.relayHeapKib() / 1024.0)),
                List.of(new Series("demo RSS (MiB)", "#1f77b4", s -> s.demoRssKib() / 1024.0),
                        new Series("relay RSS (MiB)", "#ff7f0e", s -> s.relayRssKib() / 1024.0)),
                List.of(new Series("demo descriptors", "#1f77b4", s -> s.demoFds()),
                        new Series("relay descriptors", "#ff7f0e", s -> s.relayFds())),
                List.of(new Series("demo loop lag, mean over the interval (ms)", "#1f77b4", Sample::lagMeanMillis)),
                List.of(new Series("exchanges checked per interval", "#2ca02c", s -> s.exchanges()),
                        new Series("unexpected errors per interval", "#d62728", s -> s.errors())));
        int h = TOP + panels.size() * (PANEL + 40) + 20;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, h));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>\n", LEFT, escape(title)));
        double tMax = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).seconds());
        int y0 = TOP;
        for (List<Series> panel : panels) {
            double max = 0;
            for (Series s : panel) {
                for (Sample x : samples) {
                    max = Math.max(max, s.value().applyAsDouble(x));
                }
            }
            max = max <= 0 ? 1 : niceCeiling(max);
            int top = y0 + 20;
            int bottom = top + PANEL;
            int right = W - RIGHT;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                    LEFT, top, right - LEFT, PANEL));
            for (int g = 0; g <= 4; g++) {
                double v = max * g / 4;
                int y = bottom - (int) Math.round(PANEL * g / 4.0);
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                        + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", LEFT, y, right, y, LEFT - 4, y + 4, label(v)));
            }
            for (int m = 0; m <= (int) (tMax / 60); m++) {
                int x = LEFT + (int) Math.round((right - LEFT) * (m * 60) / tMax);
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d min</text>\n", x, bottom + 13, m));
            }
            int legendX = LEFT;
            for (Series s : panel) {
                b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n", legendX, y0 + 14, s.colour(),
                        escape(s.name())));
                legendX += 8 + 7 * s.name().length();
                StringBuilder pts = new StringBuilder();
                for (Sample x : samples) {
                    double v = s.value().applyAsDouble(x);
                    if (v < 0) {
                        continue; // a failed reading
                    }
                    double px = LEFT + (right - LEFT) * x.seconds() / tMax;
                    double py = bottom - PANEL * v / max;
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
                b.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>\n",
                        s.colour(), pts.toString().strip()));
            }
            y0 += PANEL + 40;
        }
        return b.append("</svg>\n").toString();
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String label(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
