package rpcx.bench.jmh;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import rpcx.api.spi.SelectContext;
import rpcx.api.spi.Selector;
import rpcx.api.spi.SelectorProvider;

/**
 * The cost of one server pick ({@link Selector#select}) over 10 servers, for the selectors rpcx ships, found by name
 * through {@link ServiceLoader} as {@code XClient} finds them. The {@link SelectContext} is built once (XClient
 * builds one per call; that allocation is not counted here).
 *
 * <ul>
 *   <li>{@code select}: selectors {@code random}, {@code roundrobin}, {@code weightedroundrobin} (weights 1..10),
 *       {@code consistenthash} and {@code closest}, with small call arguments (an {@link ArithArgs} record).
 *       {@code weightedicmp} is left out: it probes the servers over TCP in the background, and its pick is the
 *       same smooth weighted sequence as {@code weightedroundrobin}.</li>
 *   <li>{@code consistentHashPayloadArgs}: {@code consistenthash} when the arguments are the 40-field
 *       {@link BenchmarkStruct}, whose Go {@code %v} text is hashed on every call.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SelectorBenchmark {
    /** The number of servers every selector chooses among. */
    public static final int SERVERS = 10;

    /** Creates the benchmark (JMH calls it). */
    public SelectorBenchmark() {
    }

    /**
     * Small call arguments, like Go rpcx's {@code Arith} example.
     *
     * @param a first operand
     * @param b second operand
     */
    public record ArithArgs(int a, int b) {
    }

    /**
     * The 10 servers: {@code tcp@127.0.0.1:8972..8981}, with metadata {@code weight} 1..10 and coordinates (the
     * weighted and the closest selector read them; the others ignore them).
     */
    public static Map<String, String> servers() {
        Map<String, String> servers = new LinkedHashMap<>();
        for (int i = 0; i < SERVERS; i++) {
            servers.put("tcp@127.0.0.1:" + (8972 + i),
                    "weight=" + (i + 1) + "&latitude=" + (30 + i) + ".5&longitude=" + (110 + i) + ".25");
        }
        return servers;
    }

    /** A fresh selector from the highest-priority available provider of that name on the class path. */
    public static Selector selector(String name, Map<String, String> settings) {
        SelectorProvider provider = ServiceLoader.load(SelectorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name) && p.isAvailable())
                .max(Comparator.comparingInt(SelectorProvider::priority))
                .orElseThrow(() -> new IllegalStateException("no selector provider named " + name));
        Selector s = provider.create(settings);
        s.updateServers(servers());
        return s;
    }

    /** One selector, chosen by {@link #name}, with the 10 servers. */
    @State(Scope.Thread)
    public static class Selectors {
        /** The selector provider's name. */
        @Param({"random", "roundrobin", "weightedroundrobin", "consistenthash", "closest"})
        public String name;
        Selector selector;
        final SelectContext context = new SelectContext(Payloads.SERVICE, Payloads.METHOD, new ArithArgs(7, 8));

        /** Creates the state (JMH calls it). */
        public Selectors() {
        }

        /** Creates the selector (the closest one for a client at 39.9 N, 116.4 E) and checks it picks a server. */
        @Setup
        public void setup() {
            selector = selector(name, Map.of("latitude", "39.9042", "longitude", "116.4074"));
            Payloads.check(selector.select(context) != null, name + " selected no server");
        }

        /** Closes the selector. */
        @TearDown
        public void tearDown() {
            selector.close();
        }
    }

    /** The consistent-hash selector with the benchmark payload as call arguments. */
    @State(Scope.Thread)
    public static class PayloadHash {
        Selector selector;
        final SelectContext context =
                new SelectContext(Payloads.SERVICE, Payloads.METHOD, BenchmarkStruct.prepareArgs());

        /** Creates the state (JMH calls it). */
        public PayloadHash() {
        }

        /** Creates the selector and checks it picks a server. */
        @Setup
        public void setup() {
            selector = selector("consistenthash", Map.of());
            Payloads.check(selector.select(context) != null, "consistenthash selected no server");
        }

        /** Closes the selector. */
        @TearDown
        public void tearDown() {
            selector.close();
        }
    }

    /** One pick with small arguments. */
    @Benchmark
    public String select(Selectors s) {
        return s.selector.select(s.context);
    }

    /** One consistent-hash pick whose key includes the 40-field payload. */
    @Benchmark
    public String consistentHashPayloadArgs(PayloadHash s) {
        return s.selector.select(s.context);
    }
}
