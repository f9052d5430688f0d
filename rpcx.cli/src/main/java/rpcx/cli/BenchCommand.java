package rpcx.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rpcx.api.RpcException;
import rpcx.api.XClient;

/**
 * {@code rpcx bench}: a quick closed-loop load test of one method: a fixed number of calls in flight, over one or
 * more connections, for a number of calls or a duration; prints the rate, the errors and latency percentiles.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Calls Service.Method again and again with a fixed number of calls in flight, then prints",
            "calls per second, errors and latency percentiles.",
            "",
            "  rpcx bench tcp@127.0.0.1:8972 ServiceUser.UserInfo '{\"Uid\":999}' -n 100000 -k 128",
            "  rpcx bench -d 30s --clients 4 tcp@127.0.0.1:8972 Arith.Mul '{\"A\":10,\"B\":20}'",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every call succeeded", "1:some calls failed (the first error is printed)",
            "2:the command line is wrong", "3:the first call could not reach a server", "4:the first call timed out"})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CallSpec what;

    @Option(names = {"-n", "--requests"}, defaultValue = "10000", paramLabel = "N",
            description = "how many calls (default 10000; ignored with --duration)")
    long requests;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", description = "call for this long instead (Go duration)")
    String duration;

    @Option(names = {"-k", "--concurrency"}, defaultValue = "64", paramLabel = "K",
            description = "calls in flight at once (default 64)")
    int concurrency;

    @Option(names = "--clients", defaultValue = "1", paramLabel = "C",
            description = "clients, each with its own connection to every server (default 1)")
    int clients;

    @Override
    public Integer call() throws InterruptedException {
        CallSpec.Call c = what.prepare();
        if (concurrency < 1 || clients < 1 || requests < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--requests, --concurrency and --clients must be >= 1");
        }
        long deadline = Long.MAX_VALUE;
        if (duration != null) {
            try {
                deadline = System.nanoTime() + GoDuration.parse(duration).toNanos();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--duration: " + e.getMessage());
            }
        }
        List<XClient> pool = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                pool.add(c.client());
            }
            for (XClient client : pool) { // one call each first: connects, and fails fast with the reason
                try {
                    client.invoke(c.method(), c.args(), c.replyType(), c.options());
                } catch (RpcException e) {
                    return CallSpec.failed(spec, "bench", c, e);
                }
            }
            LatencyHistogram latency = new LatencyHistogram();
            AtomicLong errors = new AtomicLong();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            Semaphore inFlight = new Semaphore(concurrency);
            long start = System.nanoTime();
            long issued = 0;
            while ((duration == null ? issued < requests : System.nanoTime() < deadline)) {
                inFlight.acquire();
                XClient client = pool.get((int) (issued % clients));
                long sent = System.nanoTime();
                client.callAsync(c.method(), c.args(), c.replyType(), c.options()).whenComplete((reply, error) -> {
                    latency.record(System.nanoTime() - sent);
                    if (error != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                    inFlight.release();
                });
                issued++;
            }
            inFlight.acquire(concurrency); // every call answered
            long took = System.nanoTime() - start;
            print(c, issued, errors.get(), took, latency);
            if (firstError.get() != null) {
                spec.commandLine().getErr().println("rpcx bench: first error: " + firstError.get().getMessage());
                return Rpcx.SERVICE_ERROR;
            }
            return Rpcx.OK;
        } finally {
            pool.forEach(XClient::close);
        }
    }

    private void print(CallSpec.Call c, long calls, long errors, long tookNanos, LatencyHistogram latency) {
        double seconds = tookNanos / 1e9;
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d calls to %s.%s at %s, %d in flight, %d client%s%n", calls, c.service(), c.method(),
                c.where(), concurrency, clients, clients == 1 ? "" : "s");
        out.printf(Locale.ROOT, "  took %.3f s: %.0f calls/s, %d errors%n", seconds, calls / seconds, errors);
        out.printf(Locale.ROOT, "  latency: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", ms(latency.percentile(0.5)),
                ms(latency.percentile(0.9)), ms(latency.percentile(0.99)), ms(latency.percentile(0.999)),
                ms(latency.max()));
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
