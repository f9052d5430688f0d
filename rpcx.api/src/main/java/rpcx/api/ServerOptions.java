package rpcx.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

import rpcx.api.protocol.FrameLimits;
import rpcx.api.spi.Codec;
import rpcx.api.spi.Compressor;

/**
 * Server settings (Go's {@code server.With...} options). Start from {@link #defaults()} and change what you need
 * with the {@code with...} methods.
 *
 * @param readTimeout      close a connection idle for this long ({@code WithReadTimeout}); zero = never, Go's default
 * @param writeTimeout     fail a connection whose write takes longer ({@code WithWriteTimeout}); zero = never
 * @param frameTimeout     close a connection that started a frame and did not finish it within this (slow-loris guard)
 * @param maxMessageLength largest accepted frame and inflated payload (Go: unlimited; here 8 MiB by default)
 * @param executor         where service methods run; null = a virtual thread per call on Java 21+, else a cached pool
 * @param ioThreads        transport I/O threads; 0 = the transport's default
 * @param maxPendingPerConnection requests of one connection that may be running or waiting for their reply to be
 *                         written before the server stops reading from that connection (backpressure; reading
 *                         resumes below half of it)
 * @param codecs           codecs and compressors given in code (Go's {@code share.Codecs[5] = ...}); they win over
 *                         the ones found on the module path for the same id
 */
public record ServerOptions(Duration readTimeout, Duration writeTimeout, Duration frameTimeout, int maxMessageLength,
                            Executor executor, int ioThreads, int maxPendingPerConnection, Codecs codecs) {
    /** Validates the values. */
    public ServerOptions {
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(frameTimeout, "frameTimeout");
        new FrameLimits(maxMessageLength, FrameLimits.DEFAULT_MAX_METADATA_ENTRIES); // validates
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0");
        }
        if (maxPendingPerConnection < 1) {
            throw new IllegalArgumentException("maxPendingPerConnection must be >= 1");
        }
        codecs = codecs == null ? Codecs.none() : codecs;
    }

    /**
     * No idle or write timeout, 30 s frame timeout, 8 MiB messages, default executor and I/O threads, 4096
     * pending requests per connection.
     */
    public static ServerOptions defaults() {
        return new ServerOptions(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30),
                FrameLimits.DEFAULT_MAX_MESSAGE_LENGTH, null, 0, 4096, Codecs.none());
    }

    /** With an idle read timeout (Go's {@code WithReadTimeout}). */
    public ServerOptions withReadTimeout(Duration d) {
        return new ServerOptions(d, writeTimeout, frameTimeout, maxMessageLength, executor, ioThreads, maxPendingPerConnection, codecs);
    }

    /** With a write timeout (Go's {@code WithWriteTimeout}). */
    public ServerOptions withWriteTimeout(Duration d) {
        return new ServerOptions(readTimeout, d, frameTimeout, maxMessageLength, executor, ioThreads, maxPendingPerConnection, codecs);
    }

    /** With a frame-completion timeout. */
    public ServerOptions withFrameTimeout(Duration d) {
        return new ServerOptions(readTimeout, writeTimeout, d, maxMessageLength, executor, ioThreads, maxPendingPerConnection, codecs);
    }

    /** With a maximum message size (Go's {@code WithMaxMessageLength}). */
    public ServerOptions withMaxMessageLength(int max) {
        return new ServerOptions(readTimeout, writeTimeout, frameTimeout, max, executor, ioThreads, maxPendingPerConnection, codecs);
    }

    /** With the executor service methods run on (the caller keeps ownership: the server does not shut it down). */
    public ServerOptions withExecutor(Executor e) {
        return new ServerOptions(readTimeout, writeTimeout, frameTimeout, maxMessageLength, e, ioThreads, maxPendingPerConnection, codecs);
    }

    /** With a number of transport I/O threads. */
    public ServerOptions withIoThreads(int n) {
        return new ServerOptions(readTimeout, writeTimeout, frameTimeout, maxMessageLength, executor, n, maxPendingPerConnection, codecs);
    }

    /** With another backpressure threshold per connection. */
    public ServerOptions withMaxPendingPerConnection(int n) {
        return new ServerOptions(readTimeout, writeTimeout, frameTimeout, maxMessageLength, executor, ioThreads, n, codecs);
    }

    /** With the codec and compressor overrides given in code. */
    public ServerOptions withCodecs(Codecs c) {
        return new ServerOptions(readTimeout, writeTimeout, frameTimeout, maxMessageLength, executor, ioThreads,
                maxPendingPerConnection, c);
    }

    /**
     * With a codec for a SerializeType given in code (Go's {@code share.Codecs[id] = codec}); it wins over a
     * provider of the same id on the module path.
     */
    public ServerOptions withCodec(int serializeType, Codec codec) {
        return withCodecs(codecs.with(serializeType, codec));
    }

    /** With a compressor for a CompressType given in code; it wins over a provider of the same id. */
    public ServerOptions withCompressor(int compressType, Compressor compressor) {
        return withCodecs(codecs.withCompressor(compressType, compressor));
    }

    /** The frame limits these options imply. */
    public FrameLimits frameLimits() {
        return FrameLimits.DEFAULT.withMaxMessageLength(maxMessageLength);
    }
}
