package rpcx.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a results folder (one flat JSON per target/phase/round, written by the client, plus {@code env.txt}) into
 * {@code results.json} (every run, and the medians) and {@code results.md} (spec/benchmark.md §5.7's table, the
 * headline ratios, the scaling phase and the environment).
 */
final class Report {
    private static final List<String> ORDER = List.of("a", "a2", "b1", "b1d", "b2", "c", "d1");

    private Report() {
    }

    static void write(Args a) throws IOException {
        Path dir = Path.of(a.require("dir"));
        List<Map<String, Object>> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("run-.*\\.json")).sorted().toList()) {
                runs.add(Json.read(Files.readString(p)));
            }
        }
        String env = Files.exists(dir.resolve("env.txt")) ? Files.readString(dir.resolve("env.txt")) : "";

        // phase -> target -> runs
        Map<String, Map<String, List<Map<String, Object>>>> byPhase = new TreeMap<>(
                Comparator.comparingInt(Report::phaseRank).thenComparing(Comparator.naturalOrder()));
        for (var r : runs) {
            String phase = (String) r.get("phase");
            byPhase.computeIfAbsent(phase, k -> new TreeMap<>(Comparator.comparingInt(Report::rank)
                    .thenComparing(Comparator.naturalOrder()))).computeIfAbsent((String) r.get("target"),
                    k -> new ArrayList<>()).add(r);
        }

        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results ").append(dir.getFileName()).append("\n\n");
        md.append("Protocol: `../shared/spec/benchmark.md` (581-byte BenchmarkMessage, server and client JVMs pinned to ")
                .append("one core each). Produced by `bench/run.sh`; every run's raw figures are in `results.json`, ")
                .append("its latency intervals in the `.hlog` files.\n\n");
        List<Map<String, Object>> medians = new ArrayList<>();
        for (var phase : byPhase.entrySet()) {
            md.append("## Phase ").append(phase.getKey()).append("\n\n");
            md.append("| target | conns×inflight | TPS median [min–max] | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs "
                    + "| server CPU µs/call | client CPU µs/call | server B/call | client B/call | GC count (s/c) "
                    + "| % of a2 TPS | % of a2 CPU/call | valid rounds |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Map<String, Object> ceiling = null;
            for (var t : phase.getValue().entrySet()) {
                Map<String, Object> m = median(t.getValue());
                medians.add(m);
                if (t.getKey().equals("a2")) {
                    ceiling = m;
                }
            }
            for (var m : medians.stream().filter(m -> phase.getKey().equals(m.get("phase"))).toList()) {
                md.append("| ").append(m.get("target")).append(" | ").append(i(m.get("connections"))).append('×')
                        .append(i(m.get("inflight")))
                        .append(m.get("idle_connections") instanceof Number n && n.intValue() > 0
                                ? " + " + n.intValue() + " idle" : "")
                        .append(" | ").append(f0(m.get("tps"))).append(" [").append(f0(m.get("tps_min"))).append('–')
                        .append(f0(m.get("tps_max"))).append("] | ").append(f0(m.get("p50_us"))).append(" | ")
                        .append(f0(m.get("p90_us"))).append(" | ").append(f0(m.get("p99_us"))).append(" | ")
                        .append(f0(m.get("p999_us"))).append(" | ").append(f0(m.get("max_us"))).append(" | ")
                        .append(f2(m.get("server_cpu_us_per_call"))).append(" | ")
                        .append(f2(m.get("client_cpu_us_per_call"))).append(" | ")
                        .append(f0(m.get("server_bytes_per_call"))).append(" | ")
                        .append(f0(m.get("client_bytes_per_call"))).append(" | ").append(i(m.get("server_gc_count")))
                        .append(" / ").append(i(m.get("client_gc_count"))).append(" | ")
                        .append(ceiling == null ? "-" : pct(m.get("tps"), ceiling.get("tps"))).append(" | ")
                        .append(ceiling == null ? "-" : pct(sum(m), sum(ceiling))).append(" | ")
                        .append(m.get("valid_rounds")).append('/').append(m.get("rounds")).append(" |\n");
            }
            md.append('\n');
            for (var m : medians.stream().filter(m -> phase.getKey().equals(m.get("phase"))).toList()) {
                if (m.get("server_bytes_per_idle_connection") != null) {
                    md.append("- ").append(m.get("target")).append(": 1,000 idle connections cost ")
                            .append(i(m.get("server_bytes_per_idle_connection"))).append(" B each on the server, ")
                            .append(i(m.get("client_bytes_per_idle_connection")))
                            .append(" B each on the client (RSS growth + live heap growth after a full GC)\n");
                }
                if (m.get("invalid") != null) {
                    md.append("- ").append(m.get("target")).append(" **invalid runs:** ").append(m.get("invalid"))
                            .append('\n');
                }
            }
            md.append('\n');
        }

        md.append("## Targets\n\n");
        Map<String, String> described = new TreeMap<>(Comparator.comparingInt(Report::rank)
                .thenComparing(Comparator.naturalOrder()));
        for (var m : medians) {
            String details = (String) m.get("details");
            described.putIfAbsent((String) m.get("target"), m.get("description")
                    + (details == null || details.isEmpty() ? "" : "; " + details));
        }
        described.forEach((id, text) -> md.append("- **").append(id).append("**: ").append(text).append('\n'));
        md.append('\n');

        Map<String, Object> t = new LinkedHashMap<>();
        for (var m : medians) {
            if ("T".equals(m.get("phase"))) {
                t.put((String) m.get("target"), m.get("tps"));
            }
        }
        md.append("## Headline (phase T throughput ratios)\n\n");
        for (String[] ratio : new String[][]{{"b1", "a2"}, {"b2", "a2"}, {"b1", "a"}, {"b2", "a"}, {"b1", "c"}, {"b1d", "a2"}, {"b1d", "c"},
                {"b1", "d1"}}) {
            md.append("- ").append(ratio[0]).append('/').append(ratio[1]).append(": ")
                    .append(ratio(t.get(ratio[0]), t.get(ratio[1]))).append('\n');
        }
        Path jmh = dir.resolve("jmh.txt");
        if (Files.exists(jmh)) {
            List<String> lines = Files.readAllLines(jmh);
            int from = -1;
            for (int k = 0; k < lines.size(); k++) {
                if (lines.get(k).startsWith("Benchmark ") && lines.get(k).contains("Mode")) {
                    from = k; // the summary table's header
                }
            }
            if (from >= 0) {
                md.append("\n## JMH micro-benchmarks (jmh 1.37, -prof gc)\n\n```\n");
                for (String l : lines.subList(from, lines.size())) {
                    if (l.isBlank() || l.startsWith("Benchmark result")) {
                        break;
                    }
                    String name = l.split("\\s+", 2)[0];
                    if (!name.contains(":") || name.endsWith(":gc.alloc.rate.norm")) {
                        md.append(l).append('\n'); // the scores and B/op; the other gc lines are in jmh.txt
                    }
                }
                md.append("```\n");
            }
        }
        md.append("\n## Environment\n\n```\n").append(env.strip()).append("\n```\n");
        Files.writeString(dir.resolve("results.md"), md.toString());

        StringBuilder json = new StringBuilder("{\n\"environment\": ").append(Json.write(Map.of("text", env)))
                .append(",\n\"medians\": [\n");
        json.append(medians.stream().map(Json::write).collect(Collectors.joining(",\n")));
        json.append("\n],\n\"runs\": [\n");
        json.append(runs.stream().map(Json::write).collect(Collectors.joining(",\n")));
        json.append("\n]\n}\n");
        Files.writeString(dir.resolve("results.json"), json.toString());
        System.out.println(md);
    }

    private static int phaseRank(String phase) {
        int i = List.of("T", "L", "S1", "S10", "S100", "S1000", "I").indexOf(phase);
        return i < 0 ? 99 : i;
    }

    private static int rank(String target) {
        int i = ORDER.indexOf(target);
        return i < 0 ? ORDER.size() : i;
    }

    /** The run with the median throughput among the valid ones, with min/max throughput beside it. */
    private static Map<String, Object> median(List<Map<String, Object>> rounds) {
        List<Map<String, Object>> valid = rounds.stream().filter(r -> Boolean.TRUE.equals(r.get("valid")))
                .sorted(Comparator.comparingDouble(r -> ((Number) r.get("tps")).doubleValue())).toList();
        Map<String, Object> m = new LinkedHashMap<>(valid.isEmpty() ? rounds.get(0) : valid.get(valid.size() / 2));
        m.put("rounds", rounds.size());
        m.put("valid_rounds", valid.size());
        if (!valid.isEmpty()) {
            m.put("tps_min", valid.get(0).get("tps"));
            m.put("tps_max", valid.get(valid.size() - 1).get("tps"));
        }
        String invalid = rounds.stream().filter(r -> !Boolean.TRUE.equals(r.get("valid")))
                .map(r -> "round " + i(r.get("round")) + ": " + r.get("invalid_reason")).collect(Collectors.joining("; "));
        if (!invalid.isEmpty()) {
            m.put("invalid", invalid);
        }
        return m;
    }

    private static Object sum(Map<String, Object> m) {
        if (m.get("server_cpu_us_per_call") instanceof Number s && m.get("client_cpu_us_per_call") instanceof Number c) {
            return s.doubleValue() + c.doubleValue();
        }
        return null;
    }

    private static String i(Object v) {
        return v instanceof Number n ? Long.toString(Math.round(n.doubleValue())) : "-";
    }

    private static String f0(Object v) {
        return v instanceof Number n ? String.format("%,.0f", n.doubleValue()) : "-";
    }

    private static String f2(Object v) {
        return v instanceof Number n ? String.format("%.2f", n.doubleValue()) : "-";
    }

    private static String pct(Object v, Object base) {
        return v instanceof Number n && base instanceof Number b && b.doubleValue() > 0
                ? String.format("%.1f %%", 100 * n.doubleValue() / b.doubleValue()) : "-";
    }

    private static String ratio(Object v, Object base) {
        return v instanceof Number n && base instanceof Number b && b.doubleValue() > 0
                ? String.format("%.2f×", n.doubleValue() / b.doubleValue()) : "not measured";
    }
}
