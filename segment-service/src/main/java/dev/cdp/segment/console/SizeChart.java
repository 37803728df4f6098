package dev.cdp.segment.console;

import dev.cdp.segment.domain.Evaluation;
import io.quarkus.qute.TemplateData;
import java.util.Comparator;
import java.util.List;

/**
 * A segment's size over time as an SVG line, drawn on the server from its evaluations (oldest left): no chart library
 * in the browser. The page also lists the same numbers in a table, for screen readers and for exact values.
 */
@TemplateData
public record SizeChart(String points, String area, List<Tick> yTicks, List<Dot> dots, String firstLabel, String lastLabel, int count) {

    static final int WIDTH = 640;
    static final int HEIGHT = 200;
    static final int LEFT = 64;
    static final int BOTTOM = 24;

    /** One evaluation on the line, with its size and time as the tooltip says them. */
    @TemplateData
    public record Dot(String x, String y, String label) {
    }

    /** A label on the size axis at height {@code y}. */
    @TemplateData
    public record Tick(int y, String label) {
    }

    /** The chart of the evaluations (any order), or null when there are none. */
    static SizeChart of(List<Evaluation> evaluations, ConsoleFormat fmt) {
        if (evaluations.isEmpty()) {
            return null;
        }
        List<Evaluation> oldestFirst = evaluations.stream().sorted(Comparator.comparing(Evaluation::evaluatedAt)).toList();
        long max = Math.max(1, oldestFirst.stream().mapToLong(Evaluation::size).max().orElse(1));
        long top = niceCeiling(max);
        long start = oldestFirst.get(0).evaluatedAt().toEpochMilli();
        long span = Math.max(1, oldestFirst.get(oldestFirst.size() - 1).evaluatedAt().toEpochMilli() - start);
        int plotWidth = WIDTH - LEFT - 8;
        int plotHeight = HEIGHT - BOTTOM - 8;
        StringBuilder points = new StringBuilder();
        List<Dot> dots = new java.util.ArrayList<>();
        for (Evaluation evaluation : oldestFirst) {
            double x = oldestFirst.size() == 1 ? LEFT + plotWidth / 2.0
                    : LEFT + plotWidth * (evaluation.evaluatedAt().toEpochMilli() - start) / (double) span;
            double y = 8 + plotHeight * (1 - evaluation.size() / (double) top);
            String px = String.format(java.util.Locale.ROOT, "%.1f", x);
            String py = String.format(java.util.Locale.ROOT, "%.1f", y);
            points.append(px).append(',').append(py).append(' ');
            dots.add(new Dot(px, py, fmt.number(evaluation.size()) + " · " + fmt.dateTime(evaluation.evaluatedAt())));
        }
        String line = points.toString().strip();
        String firstX = line.substring(0, line.indexOf(','));
        String lastX = line.substring(line.lastIndexOf(' ') + 1, line.lastIndexOf(','));
        String area = firstX + "," + (8 + plotHeight) + " " + line + " " + lastX + "," + (8 + plotHeight);
        List<Tick> ticks = List.of(new Tick(8, fmt.number(top)), new Tick(8 + plotHeight / 2, fmt.number(top / 2)),
                new Tick(8 + plotHeight, fmt.number(0)));
        return new SizeChart(line, area, ticks, dots, fmt.dateTime(oldestFirst.get(0).evaluatedAt()),
                fmt.dateTime(oldestFirst.get(oldestFirst.size() - 1).evaluatedAt()), oldestFirst.size());
    }

    /**
     * A segment's size over time as a line in a 120 × 24 box (oldest left, from 0 to its largest size), for the
     * segment list; empty when there is nothing to draw.
     */
    static String sparkline(List<Evaluation> evaluations) {
        List<Evaluation> oldestFirst = evaluations.stream().sorted(Comparator.comparing(Evaluation::evaluatedAt)).toList();
        if (oldestFirst.size() < 2) {
            return "";
        }
        long max = Math.max(1, oldestFirst.stream().mapToLong(Evaluation::size).max().orElse(1));
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < oldestFirst.size(); i++) {
            double x = 2 + 116.0 * i / (oldestFirst.size() - 1);
            double y = 22 - 20.0 * oldestFirst.get(i).size() / max;
            points.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return points.toString().strip();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}: axis labels a reader takes in at a glance. */
    static long niceCeiling(long value) {
        long power = 1;
        while (power * 10 <= value) {
            power *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }
}
