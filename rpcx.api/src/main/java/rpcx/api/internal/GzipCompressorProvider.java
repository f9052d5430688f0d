package rpcx.api.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.FrameTooLargeException;
import rpcx.api.protocol.ProtocolException;
import rpcx.api.spi.Compressor;
import rpcx.api.spi.CompressorProvider;

/** CompressType 1: gzip of the payload (RFC 1952), inflation bounded by the maximum message size. */
public final class GzipCompressorProvider implements CompressorProvider {
    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public int compressType() {
        return CompressType.GZIP;
    }

    @Override
    public Compressor create() {
        return Gzip.INSTANCE;
    }

    enum Gzip implements Compressor {
        INSTANCE;

        @Override
        public byte[] compress(byte[] data) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray(); // taken after close(), so the gzip trailer is complete
        }

        @Override
        public byte[] decompress(byte[] data, int maxLength) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data), 8192)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxLength, Math.max(256, data.length * 4)));
                byte[] buf = new byte[8192];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > maxLength) {
                        throw new FrameTooLargeException("inflated gzip payload", total, maxLength);
                    }
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            } catch (ZipException | java.io.EOFException e) {
                throw new ProtocolException("payload is not valid gzip data: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new ProtocolException("cannot inflate gzip payload: " + e.getMessage(), e);
            }
        }
    }
}
