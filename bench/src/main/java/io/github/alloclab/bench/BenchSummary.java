package io.github.alloclab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns a JMH JSON result ({@code -rf json -rff out.json}) into a Markdown table and a PNG bar chart. Each
 * score is shown beside its ratio to {@code glibc} and to {@code bump} measured in the same run, which is the
 * comparison that survives a noisy machine.
 *
 * <p>{@code ./alloclab bench --summary out.json} writes {@code out.md} and {@code out.png} beside the JSON and
 * prints the table.
 */
final class BenchSummary {

    /** One score of one allocator in one case (a benchmark with its other parameters). */
    record Score(String benchmark, String allocator, double score, double error, String unit) {
    }

    private BenchSummary() {
    }

    static int run(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: --summary RESULT.json (a JMH result written with -rf json)");
        }
        Path json = Path.of(args[0]);
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(json + ": no such file");
        }
        Map<String, List<Score>> cases = read(json);
        String markdown = markdown(cases);
        String base = json.toString().replaceFirst("\\.json$", "");
        try {
            Files.writeString(Path.of(base + ".md"), markdown);
            BitmapEncoder.saveBitmap(chart(cases), base + ".png", BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(markdown);
        System.out.println();
        System.out.println("wrote " + base + ".md and " + base + ".png");
        return 0;
    }

    /** {@return the scores by case, in the order JMH wrote them} */
    static Map<String, List<Score>> read(Path json) {
        JsonNode results;
        try {
            results = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(json + ": not a JMH JSON result: " + e.getMessage());
        }
        if (results == null || !results.isArray()) {
            throw new IllegalArgumentException(json + ": not a JMH JSON result (expected an array)");
        }
        Map<String, List<Score>> cases = new LinkedHashMap<>();
        for (JsonNode r : results) {
            JsonNode params = r.path("params");
            String allocator = params.path("allocator").asText("?");
            Map<String, String> others = new TreeMap<>();
            params.properties().forEach(e -> {
                if (!e.getKey().equals("allocator")) {
                    others.put(e.getKey(), e.getValue().asText());
                }
            });
            String name = r.path("benchmark").asText().replaceFirst(".*\\.", "");
            String key = others.isEmpty() ? name : name + " " + others.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            JsonNode metric = r.path("primaryMetric");
            cases.computeIfAbsent(key, k -> new ArrayList<>()).add(new Score(key, allocator,
                    metric.path("score").asDouble(), metric.path("scoreError").asDouble(Double.NaN),
                    metric.path("scoreUnit").asText()));
        }
        return cases;
    }

    static String markdown(Map<String, List<Score>> cases) {
        StringBuilder out = new StringBuilder();
        out.append("| case | allocator | score | error | × glibc | × bump |\n");
        out.append("|---|---|---:|---:|---:|---:|\n");
        for (var entry : cases.entrySet()) {
            Double glibc = scoreOf(entry.getValue(), "glibc");
            Double bump = scoreOf(entry.getValue(), "bump");
            for (Score s : entry.getValue()) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %.2f %s | %s | %s | %s |%n", entry.getKey(),
                        s.allocator(), s.score(), s.unit(),
                        Double.isNaN(s.error()) ? "" : String.format(Locale.ROOT, "± %.2f", s.error()),
                        ratio(s.score(), glibc), ratio(s.score(), bump)));
            }
        }
        return out.toString();
    }

    private static Double scoreOf(List<Score> scores, String allocator) {
        return scores.stream().filter(s -> s.allocator().equals(allocator)).map(Score::score).findFirst().orElse(null);
    }

    private static String ratio(double score, Double reference) {
        return reference == null || reference == 0 ? "" : String.format(Locale.ROOT, "%.2f", score / reference);
    }

    static CategoryChart chart(Map<String, List<Score>> cases) {
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(700)
                .title("alloclab benchmarks (lower is better)").xAxisTitle("case").yAxisTitle("ns/op")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        List<String> labels = new ArrayList<>(cases.keySet());
        Map<String, double[]> byAllocator = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            for (Score s : cases.get(labels.get(i))) {
                double[] values = byAllocator.computeIfAbsent(s.allocator(), a -> new double[labels.size()]);
                values[i] = s.score();
            }
        }
        for (var e : byAllocator.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double v : e.getValue()) {
                values.add(v);
            }
            chart.addSeries(e.getKey(), labels, values);
        }
        return chart;
    }
}
