package rpcx.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.FrameTooLargeException;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.spi.Compressor;
import rpcx.api.spi.CompressorProvider;

/**
 * The behaviour every rpcx {@link Compressor} must show, as an abstract JUnit Jupiter test class. A compressor
 * module extends it and implements {@link #provider()} (and, when its format accepts any bytes, overrides
 * {@link #malformed()}):
 *
 * <pre>{@code
 * class ZstdConformanceTest extends CompressorConformance {
 *     protected CompressorProvider provider() { return new ZstdCompressorProvider(); }
 * }
 * }</pre>
 *
 * <p>What is checked: the provider is found by {@link ServiceLoader} with a CompressType in 1..7; empty, tiny,
 * text, incompressible 1 MiB and highly redundant payloads survive compress then decompress; redundant data gets
 * smaller; inflation stops with {@link FrameTooLargeException} as soon as the output would pass the limit, also for
 * a compression bomb (64 MiB of zeros against a 1 MiB limit, which must fail fast and without allocating the
 * output); malformed input fails with {@link ProtocolException}; truncations either inflate or fail with
 * {@link ProtocolException}; one instance serves many threads at once.
 */
public abstract class CompressorConformance {
    /** The limit most tests inflate under. */
    protected static final int LIMIT = 8 << 20;

    private Compressor compressor;

    /** The provider under test, created as {@link ServiceLoader} would create it. */
    protected abstract CompressorProvider provider();

    /** Inputs that are not valid compressed data; each must fail with {@link ProtocolException}. */
    protected List<byte[]> malformed() {
        return List.of("this is not compressed data".getBytes(StandardCharsets.US_ASCII), new byte[] {0x1f, (byte) 0x8b});
    }

    /** The compressor under test: one instance per test class instance. */
    protected final Compressor compressor() {
        if (compressor == null) {
            compressor = Objects.requireNonNull(provider().create(), "provider().create() returned null");
        }
        return compressor;
    }

    private byte[] roundTrip(byte[] data) {
        return compressor().decompress(compressor().compress(data), Math.max(LIMIT, data.length));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] text(int n) {
        StringBuilder sb = new StringBuilder(n + 64);
        for (int i = 0; sb.length() < n; i++) {
            sb.append("{\"UID\":").append(i).append(",\"UserName\":\"Joke\",\"Uface\":\"http://image/t.gif\"}");
        }
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void providerIsFoundByServiceLoaderWithAValidId() {
        CompressorProvider p = provider();
        assertTrue(p.compressType() >= 1 && p.compressType() <= CompressType.MAX,
                "compressType must be 1..7, is " + p.compressType());
        ConformanceSupport.assertDeclared(CompressorProvider.class, p);
    }

    @Test
    void payloadsSurviveARoundTrip() {
        for (byte[] data : List.of(new byte[0], new byte[] {42}, text(1025), text(300_000), random(1 << 20, 1),
                new byte[4 << 20])) {
            assertArrayEquals(data, roundTrip(data), () -> data.length + " bytes");
        }
    }

    @Test
    void redundantDataGetsSmaller() {
        byte[] data = text(1 << 20);
        int compressed = compressor().compress(data).length;
        assertTrue(compressed < data.length / 4, "1 MiB of repetitive text compressed to " + compressed + " bytes");
    }

    @Test
    void inflationStopsAtTheLimit() {
        byte[] data = random(100_000, 2);
        byte[] compressed = compressor().compress(data);
        assertArrayEquals(data, compressor().decompress(compressed, data.length), "exactly at the limit");
        assertThrows(FrameTooLargeException.class, () -> compressor().decompress(compressed, data.length - 1));
    }

    @Test
    void compressionBombFailsFastWithFrameTooLarge() {
        byte[] bomb = compressor().compress(new byte[64 << 20]);
        assertTrue(bomb.length < 1 << 20, "64 MiB of zeros compressed to " + bomb.length + " bytes");
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FrameTooLargeException.class, () -> compressor().decompress(bomb, 1 << 20)));
    }

    @Test
    void malformedInputFailsWithProtocolException() {
        for (byte[] b : malformed()) {
            assertThrows(ProtocolException.class, () -> compressor().decompress(b, LIMIT), () -> CodecConformance.hex(b));
        }
    }

    @Test
    void truncatedInputInflatesOrFailsWithProtocolException() {
        byte[] compressed = compressor().compress(text(20_000));
        for (int len = 0; len < compressed.length; len++) {
            byte[] cut = Arrays.copyOf(compressed, len);
            try {
                compressor().decompress(cut, LIMIT);
            } catch (ProtocolException expected) {
                // the typed error is the contract
            } catch (RuntimeException e) {
                fail("truncated to " + len + " bytes: decompress threw " + e + " instead of a ProtocolException", e);
            }
        }
    }

    @Test
    void oneInstanceServesManyThreadsAtOnce() throws Exception {
        compressor();
        List<byte[]> inputs = List.of(text(2000), random(50_000, 3), new byte[1025], text(100_000));
        ConformanceSupport.concurrently(8, thread -> {
            for (int i = 0; i < 100; i++) {
                byte[] in = inputs.get((i + thread) % inputs.size());
                assertArrayEquals(in, roundTrip(in));
            }
        });
    }
}
