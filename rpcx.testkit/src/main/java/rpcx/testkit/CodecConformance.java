package rpcx.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;
import rpcx.api.spi.CodecException;
import rpcx.api.spi.CodecProvider;

/**
 * The behaviour every rpcx {@link Codec} must show, as an abstract JUnit Jupiter test class. A codec module (ours
 * or a third party's) extends it once and says, in the codec's own value model, what to encode:
 *
 * <pre>{@code
 * class MyCodecConformanceTest extends CodecConformance {
 *     protected CodecProvider provider() { return new MyCodecProvider(); }
 *     protected List<Sample> samples() { return List.of(Sample.of(new User(999, "Joke"))); }
 *     protected Sample empty() { return Sample.of(new User(0, "")); }
 *     protected Sample sized(int bytes) { return Sample.of(new User(1, "x".repeat(bytes))); }
 *     protected List<byte[]> malformed() { return List.of(new byte[] {(byte) 0xc1}); }
 * }
 * }</pre>
 *
 * <p>What is checked: the provider is found by {@link ServiceLoader} (so the module's {@code provides} or
 * {@code META-INF/services} entry is right) with a valid SerializeType and name; every sample, the empty value,
 * the value with nulls and a 1 MiB value survive encode then decode; encoding is repeatable; a value or a target
 * type the codec does not support fails with {@link CodecException}; known-malformed input fails with
 * {@link CodecException}; every truncation and thousands of seeded corruptions of valid encodings either decode or
 * fail with {@link CodecException}, never with another exception and never by hanging; one codec instance is used
 * from many threads at once with no wrong result.
 */
public abstract class CodecConformance {
    /** How many threads share one codec in the concurrency test. */
    protected static final int THREADS = 8;

    /** A value and the declared type to decode it into. */
    public record Sample(String name, Type type, Object value) {
        /** Checks the fields. */
        public Sample {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        /** A sample named after, and decoded into, the value's own class. */
        public static Sample of(Object value) {
            return new Sample(value.getClass().getSimpleName(), value.getClass(), value);
        }

        /** A named sample decoded into the given type (a {@code Class} or a parameterized type). */
        public static Sample of(String name, Type type, Object value) {
            return new Sample(name, type, value);
        }
    }

    private Codec codec;

    /** The provider under test, created as {@link ServiceLoader} would create it. */
    protected abstract CodecProvider provider();

    /**
     * Values that must survive encode then decode, in the codec's own value model (records, generated messages,
     * ...): at least one structure with nested values, lists and several number types.
     */
    protected abstract List<Sample> samples();

    /** The codec's empty value (Go's zero value: numbers 0, strings and lists empty); it must survive a round trip. */
    protected abstract Sample empty();

    /** A value carrying at least {@code bytes} bytes of payload (a long string or byte field). */
    protected abstract Sample sized(int bytes);

    /**
     * Encodings that are not a valid encoding of the first sample's type; each must fail with {@link CodecException}.
     * Empty only for a codec that accepts any bytes (the raw codec): then that test is skipped.
     */
    protected abstract List<byte[]> malformed();

    /**
     * A value whose optional parts are null (nil pointers, nil slices and maps), or null when the codec's value
     * model has no nulls (protobuf): then that test is skipped.
     */
    protected Sample withNulls() {
        return null;
    }

    /** A value the codec cannot encode; encoding it must fail with {@link CodecException}. */
    protected Object unsupportedValue() {
        return new Object();
    }

    /** A type the codec cannot decode into; decoding the first sample into it must fail with {@link CodecException}. */
    protected Type unsupportedType() {
        return Thread.class;
    }

    /** Asserts that a decoded value equals the expected one; override when the value model has no useful equals. */
    protected void assertSameValue(Object expected, Object actual) {
        if (expected instanceof byte[] e && actual instanceof byte[] a) {
            assertArrayEquals(e, a);
        } else {
            assertEquals(expected, actual);
        }
    }

    /** The codec under test: one instance per test class instance, created from {@link #provider()}. */
    protected final Codec codec() {
        if (codec == null) {
            codec = Objects.requireNonNull(provider().create(), "provider().create() returned null");
        }
        return codec;
    }

    private Object roundTrip(Sample s) {
        byte[] bytes = codec().encode(s.value());
        assertNotNull(bytes, () -> s.name() + ": encode returned null");
        return codec().decode(bytes, s.type());
    }

    @Test
    void providerIsFoundByServiceLoaderWithAValidIdAndName() {
        CodecProvider p = provider();
        assertTrue(p.serializeType() >= 0 && p.serializeType() <= SerializeType.MAX,
                "serializeType must be 0..15, is " + p.serializeType());
        ConformanceSupport.assertDeclared(CodecProvider.class, p);
    }

    @Test
    void samplesSurviveARoundTrip() {
        List<Sample> samples = samples();
        assertFalse(samples.isEmpty(), "samples() must give at least one value");
        for (Sample s : samples) {
            assertSameValue(s.value(), roundTrip(s));
        }
    }

    @Test
    void emptyValueSurvivesARoundTrip() {
        Sample s = empty();
        assertSameValue(s.value(), roundTrip(s));
    }

    @Test
    void valueWithNullsSurvivesARoundTrip() {
        Sample s = withNulls();
        Assumptions.assumeTrue(s != null, "the codec's value model has no nulls");
        assertSameValue(s.value(), roundTrip(s));
    }

    @Test
    void oneMebibyteValueSurvivesARoundTrip() {
        Sample s = sized(1 << 20);
        byte[] bytes = codec().encode(s.value());
        assertTrue(bytes.length >= 1 << 20, "sized(1 MiB) encoded to only " + bytes.length + " bytes");
        assertSameValue(s.value(), codec().decode(bytes, s.type()));
    }

    @Test
    void encodingIsRepeatable() {
        for (Sample s : samples()) {
            assertArrayEquals(codec().encode(s.value()), codec().encode(s.value()), s.name());
        }
    }

    @Test
    void unsupportedValueFailsWithCodecException() {
        assertThrows(CodecException.class, () -> codec().encode(unsupportedValue()));
    }

    @Test
    void unsupportedTargetTypeFailsWithCodecException() {
        byte[] bytes = codec().encode(samples().get(0).value());
        assertThrows(CodecException.class, () -> codec().decode(bytes, unsupportedType()));
    }

    @Test
    void malformedInputFailsWithCodecException() {
        List<byte[]> bad = malformed();
        Assumptions.assumeFalse(bad.isEmpty(), "the codec accepts any bytes");
        Type type = samples().get(0).type();
        for (byte[] b : bad) {
            assertThrows(CodecException.class, () -> codec().decode(b, type), () -> "decoding " + hex(b));
        }
    }

    @Test
    void truncatedAndCorruptedInputDecodesOrFailsWithCodecException() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(20261126L);
            List<Sample> all = new ArrayList<>(samples());
            all.add(empty());
            for (Sample s : all) {
                byte[] valid = codec().encode(s.value());
                int step = Math.max(1, valid.length / 512);
                for (int len = 0; len < valid.length; len += step) {
                    decodeOrCodecException(java.util.Arrays.copyOf(valid, len), s, "truncated to " + len + " bytes");
                }
                for (int i = 0; i < 2000 && valid.length > 0; i++) {
                    byte[] b = valid.clone();
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips; f++) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                    decodeOrCodecException(b, s, "corrupted (" + hex(b) + ")");
                }
            }
            for (int i = 0; i < 500; i++) {
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                decodeOrCodecException(b, all.get(0), "random (" + hex(b) + ")");
            }
        });
    }

    private void decodeOrCodecException(byte[] input, Sample s, String what) {
        try {
            codec().decode(input, s.type());
        } catch (CodecException expected) {
            // the typed error is the contract
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail(s.name() + " " + what + ": decode threw " + e + " instead of a CodecException", e);
        }
    }

    @Test
    void oneInstanceServesManyThreadsAtOnce() throws Exception {
        codec(); // created before the threads start
        List<Sample> all = new ArrayList<>(samples());
        all.add(empty());
        if (withNulls() != null) {
            all.add(withNulls());
        }
        all.add(sized(4096));
        ConformanceSupport.concurrently(THREADS, thread -> {
            for (int i = 0; i < 400; i++) {
                Sample s = all.get((i + thread) % all.size());
                assertSameValue(s.value(), roundTrip(s));
            }
        });
    }

    /** Hex of at most the first 64 bytes, for messages. */
    protected static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(64, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return b.length > 64 ? sb + "...(" + b.length + " bytes)" : sb.toString();
    }
}
