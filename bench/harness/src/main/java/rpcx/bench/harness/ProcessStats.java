package rpcx.bench.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A snapshot of this JVM's CPU time, bytes allocated by live threads, GC activity, threads and memory. */
public record ProcessStats(long cpuNanos, long allocatedBytes, long gcCount, long gcMillis, int threads,
                           long rssBytes, long heapUsedBytes) {

    /** Takes a snapshot now. */
    public static ProcessStats now() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long allocated = 0;
        for (long b : threads.getThreadAllocatedBytes(ids)) {
            if (b > 0) {
                allocated += b;
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new ProcessStats(os.getProcessCpuTime(), allocated, gcCount, gcMillis, threads.getThreadCount(), rss(),
                heapUsed);
    }

    /** Collects garbage (twice, with a pause) and then takes a snapshot, for live-memory comparisons. */
    public static ProcessStats afterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return now();
    }

    /** Resident set size from /proc/self/status, or -1 where that cannot be read. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: memory figures are reported as unknown
        }
        return -1;
    }

    /** What happened between {@code start} and this snapshot, as the flat JSON fields of a result. */
    public Map<String, Object> since(ProcessStats start, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(prefix + "cpu_ns", cpuNanos - start.cpuNanos);
        m.put(prefix + "alloc_bytes", allocatedBytes - start.allocatedBytes);
        m.put(prefix + "gc_count", gcCount - start.gcCount);
        m.put(prefix + "gc_ms", gcMillis - start.gcMillis);
        m.put(prefix + "threads", threads);
        m.put(prefix + "rss_bytes", rssBytes);
        return m;
    }
}
