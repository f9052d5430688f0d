package rpcx.bench.harness;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * One phase against one server: {@code connections × inflight} calls kept in flight (each completion issues the
 * next call on the same connection, as grpc-java's {@code AsyncClient}), a warm-up, then a measured window bracketed
 * on the server through its control port. Latency is recorded in nanoseconds into an HdrHistogram
 * {@link Recorder}; every second's interval goes to the {@code .hlog} and to a progress line.
 */
final class ClosedLoop {
    private static final long HIGHEST = 60_000_000_000L;

    private final Args args;
    private final Recorder recorder = new Recorder(HIGHEST, 3);
    private final LongAdder errors = new LongAdder();
    private final LongAdder wrongReplies = new LongAdder();
    private final LongAdder outstanding = new LongAdder();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private volatile boolean running = true;
    private Load load;

    ClosedLoop(Args args) {
        this.args = args;
    }

    /** One call slot: reused for every call it issues, so the driver allocates nothing per call. */
    private final class Slot implements Completion {
        private final int connection;
        private long start;

        Slot(int connection) {
            this.connection = connection;
        }

        void issue() {
            outstanding.increment();
            start = System.nanoTime();
            load.call(connection, this);
        }

        @Override
        public void done(boolean ok, Throwable error) {
            long latency = System.nanoTime() - start;
            outstanding.decrement();
            if (ok) {
                recorder.recordValue(Math.min(latency, HIGHEST));
            } else {
                if (error != null) {
                    errors.increment();
                    firstError.compareAndSet(null, error);
                } else {
                    wrongReplies.increment();
                }
                return; // the run is invalid now: this slot stops instead of spinning through failing calls
            }
            if (running) {
                issue();
            }
        }
    }

    boolean run() throws Exception {
        Target target = Main.target(args.require("target"));
        String host = args.get("host", "127.0.0.1");
        int port = Integer.parseInt(args.require("port"));
        int controlPort = args.getInt("control-port", 0);
        String phase = args.get("phase", "T");
        int connections = args.getInt("connections", 4);
        int inflight = args.getInt("inflight", 25);
        int warmup = args.getInt("warmup", 40);
        int measure = args.getInt("measure", 30);
        int idle = args.getInt("idle", 0);
        String label = "[" + phase + " " + target.id() + " r" + args.get("round", "1") + "]";
        PrintStream out = System.out;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("target", target.id());
        result.put("description", target.description());
        result.put("phase", phase);
        result.put("round", args.getInt("round", 1));
        result.put("connections", connections);
        result.put("inflight", inflight);
        result.put("idle_connections", idle);
        result.put("warmup_s", warmup);
        result.put("measure_s", measure);
        result.put("valid", false);

        Control.Client control = controlPort > 0 ? new Control.Client(host, controlPort) : null;
        load = target.connect(host, port, connections, args.options);
        result.put("details", load.details());

        // smoke: one call must come back OK before anything is measured
        CountDownLatch smoke = new CountDownLatch(1);
        boolean[] smokeOk = new boolean[1];
        Throwable[] smokeError = new Throwable[1];
        load.call(0, (ok, error) -> {
            smokeOk[0] = ok;
            smokeError[0] = error;
            smoke.countDown();
        });
        if (!smoke.await(30, TimeUnit.SECONDS) || !smokeOk[0]) {
            String why = smokeError[0] != null ? smokeError[0].toString() : smoke.getCount() > 0 ? "no reply in 30 s"
                    : "reply was not OK";
            out.println(label + " SMOKE FAILED: " + why);
            result.put("invalid_reason", "smoke call failed: " + why);
            finish(result, control, null);
            return false;
        }
        out.println(label + " smoke call OK; " + connections + " connections x " + inflight + " in flight"
                + (idle > 0 ? " + " + idle + " idle" : "") + ", warm-up " + warmup + " s, measured " + measure + " s");

        HistogramLogWriter hlog = null;
        String hlogPath = args.get("hlog", null);
        if (hlogPath != null) {
            hlog = new HistogramLogWriter(new File(hlogPath));
            hlog.outputComment(label + " " + target.description());
            hlog.outputLogFormatVersion();
            long now = System.currentTimeMillis();
            hlog.outputStartTime(now);
            hlog.setBaseTime(now);
            hlog.outputLegend();
        }

        for (int c = 0; c < connections; c++) {
            for (int k = 0; k < inflight; k++) {
                new Slot(c).issue();
            }
        }

        Histogram interval = null;
        Histogram measured = new Histogram(HIGHEST, 3);
        Load idleLoad = null;
        ProcessStats clientStart = null;
        long measureStart = 0;
        long measureEnd = 0;
        Map<String, Object> serverReport = null;
        int total = warmup + measure;
        long next = System.nanoTime();
        for (int second = 1; second <= total; second++) {
            next += 1_000_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } else if (sleep < -500_000_000L) {
                next = System.nanoTime(); // stalled: no catching up with short seconds, the window stays honest
            }
            boolean measuring = second > warmup;
            interval = recorder.getIntervalHistogram(interval);
            long swapped = System.nanoTime();
            interval.setTag(measuring ? "measure" : "warmup");
            if (hlog != null) {
                hlog.outputIntervalHistogram(interval);
            }
            if (measuring) {
                measured.add(interval);
            }
            out.printf("%s %s %d/%d s: %,d calls/s, p50 %.0f us, p99 %.0f us, errors %d%n", label,
                    measuring ? "measure" : "warm-up", measuring ? second - warmup : second,
                    measuring ? measure : warmup, interval.getTotalCount(),
                    interval.getValueAtPercentile(50) / 1000.0, interval.getValueAtPercentile(99) / 1000.0,
                    errors.sum() + wrongReplies.sum());
            if (second == warmup) {
                if (idle > 0) {
                    // live memory before and after opening the idle connections, on both sides
                    Map<String, Object> before = control != null ? control.send("memory") : Map.of();
                    ProcessStats clientBefore = ProcessStats.afterGc();
                    idleLoad = target.connect(host, port, idle, args.options);
                    Thread.sleep(1000);
                    Map<String, Object> after = control != null ? control.send("memory") : Map.of();
                    ProcessStats clientAfter = ProcessStats.afterGc();
                    memoryDelta(result, "server_", before, after, idle);
                    memoryDelta(result, "client_", Map.of("rss_bytes", (double) clientBefore.rssBytes(),
                            "heap_used_bytes", (double) clientBefore.heapUsedBytes()), Map.of("rss_bytes",
                            (double) clientAfter.rssBytes(), "heap_used_bytes", (double) clientAfter.heapUsedBytes()),
                            idle);
                    out.println(label + " opened " + idle + " idle connections: server " + result.get(
                            "server_bytes_per_idle_connection") + " B each, client " + result.get(
                            "client_bytes_per_idle_connection") + " B each");
                    interval = recorder.getIntervalHistogram(interval); // drop what ran while memory was measured
                    next = System.nanoTime();
                }
                measureStart = idle > 0 ? System.nanoTime() : swapped;
                if (control != null) {
                    control.send("mark");
                }
                clientStart = ProcessStats.now();
            }
            if (second == total) {
                measureEnd = swapped;
                ProcessStats clientEnd = ProcessStats.now();
                if (control != null) {
                    try {
                        serverReport = control.send("report");
                    } catch (java.io.IOException e) {
                        result.put("invalid_reason", "the server's control port failed (did the server die?): " + e);
                        control = null;
                    }
                }
                long calls = measured.getTotalCount();
                double seconds = (measureEnd - measureStart) / 1e9;
                result.put("calls", calls);
                result.put("seconds", seconds);
                result.put("tps", calls / seconds);
                result.put("p50_us", measured.getValueAtPercentile(50) / 1000.0);
                result.put("p90_us", measured.getValueAtPercentile(90) / 1000.0);
                result.put("p99_us", measured.getValueAtPercentile(99) / 1000.0);
                result.put("p999_us", measured.getValueAtPercentile(99.9) / 1000.0);
                result.put("max_us", measured.getMaxValue() / 1000.0);
                result.put("mean_us", measured.getMean() / 1000.0);
                Map<String, Object> cs = clientEnd.since(clientStart, "client_");
                result.putAll(cs);
                perCall(result, "client_", calls);
                if (serverReport != null) {
                    serverReport.forEach((k, v) -> result.put("server_" + k, v));
                    perCall(result, "server_", calls);
                }
            }
        }
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outstanding.sum() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (idleLoad != null) {
            idleLoad.close();
        }
        if (hlog != null) {
            hlog.close();
        }
        long bad = errors.sum() + wrongReplies.sum();
        result.put("errors", errors.sum());
        result.put("wrong_replies", wrongReplies.sum());
        if (bad > 0) {
            Throwable e = firstError.get();
            result.put("invalid_reason", bad + " calls failed or were not OK" + (e != null ? "; first: " + e : ""));
        } else if (result.containsKey("invalid_reason")) {
            result.put("valid", false);
        } else if (measured.getTotalCount() == 0) {
            result.put("invalid_reason", "no call completed in the measured window");
        } else if (Math.abs((measureEnd - measureStart) / 1e9 - measure) > 0.1 * measure) {
            result.put("invalid_reason", String.format("the measured window lasted %.1f s instead of %d s: the machine"
                    + " stalled", (measureEnd - measureStart) / 1e9, measure));
        } else {
            result.put("valid", true);
        }
        finish(result, control, measured);
        out.printf("%s %s: %,.0f calls/s, p50 %.0f us, p99 %.0f us, server %s us/call %s B/call, client %s us/call"
                        + " %s B/call%n", label, Boolean.TRUE.equals(result.get("valid")) ? "VALID" : "INVALID ("
                        + result.get("invalid_reason") + ")", (Double) result.getOrDefault("tps", 0.0),
                (Double) result.getOrDefault("p50_us", 0.0), (Double) result.getOrDefault("p99_us", 0.0),
                fmt(result.get("server_cpu_us_per_call")), fmt(result.get("server_bytes_per_call")),
                fmt(result.get("client_cpu_us_per_call")), fmt(result.get("client_bytes_per_call")));
        return Boolean.TRUE.equals(result.get("valid"));
    }

    private static String fmt(Object v) {
        return v instanceof Number n ? String.format("%.2f", n.doubleValue()) : "-";
    }

    private static void perCall(Map<String, Object> r, String prefix, long calls) {
        if (calls == 0) {
            return;
        }
        r.put(prefix + "cpu_us_per_call", ((Number) r.get(prefix + "cpu_ns")).doubleValue() / 1000.0 / calls);
        r.put(prefix + "bytes_per_call", ((Number) r.get(prefix + "alloc_bytes")).doubleValue() / calls);
    }

    private static void memoryDelta(Map<String, Object> r, String prefix, Map<String, Object> before,
                                    Map<String, Object> after, int idle) {
        if (!before.containsKey("rss_bytes")) {
            return;
        }
        double rss = ((Number) after.get("rss_bytes")).doubleValue() - ((Number) before.get("rss_bytes")).doubleValue();
        double heap = ((Number) after.get("heap_used_bytes")).doubleValue()
                - ((Number) before.get("heap_used_bytes")).doubleValue();
        r.put(prefix + "idle_rss_delta_bytes", rss);
        r.put(prefix + "idle_heap_delta_bytes", heap);
        // the heap is pre-touched (-Xms = -Xmx, AlwaysPreTouch), so RSS growth is native memory: add live heap growth
        r.put(prefix + "bytes_per_idle_connection", Math.round((Math.max(rss, 0) + Math.max(heap, 0)) / idle));
    }

    private void finish(Map<String, Object> result, Control.Client control, Histogram measured) throws Exception {
        try {
            load.close();
        } catch (Exception e) {
            result.put("close_error", e.toString());
        }
        if (control != null) {
            if (Boolean.parseBoolean(args.get("stop-server", "true"))) {
                control.send("quit");
            }
            control.close();
        }
        String outPath = args.get("out", null);
        if (outPath != null) {
            Files.writeString(Path.of(outPath), Json.write(result) + "\n");
        }
    }
}
