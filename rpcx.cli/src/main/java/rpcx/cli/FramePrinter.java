package rpcx.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

import rpcx.api.Codecs;
import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;

/**
 * One frame as text: its header fields, metadata and payload, the payload inflated when gzip-compressed and then
 * decoded by its codec when the module path has one (JSON as its text), otherwise shown in hex.
 */
final class FramePrinter {
    private static final int MAX_INFLATED = 8 << 20;
    private static final int HEX_SHOWN = 64;

    private FramePrinter() {
    }

    static String describe(Message m) {
        StringBuilder sb = new StringBuilder();
        sb.append(m.isResponse() ? "response" : "request").append(" seq=").append(Long.toUnsignedString(m.seq()))
                .append(' ').append(m.servicePath().isEmpty() && m.serviceMethod().isEmpty() ? "-"
                        : m.servicePath() + "." + m.serviceMethod())
                .append(" serialize=").append(SerializeType.name(m.serializeType()))
                .append(" compress=").append(m.compressType() == CompressType.GZIP ? "gzip"
                        : m.compressType() == CompressType.NONE ? "none" : String.valueOf(m.compressType()))
                .append(" status=").append(m.isError() ? "error" : "normal");
        if (m.isOneway()) {
            sb.append(" oneway");
        }
        if (m.isHeartbeat()) {
            sb.append(" heartbeat");
        }
        sb.append(" version=").append(m.version());
        sb.append("\n  metadata: ").append(JsonTree.print(m.metadata()));
        sb.append("\n  payload ").append(m.payloadLength()).append(" bytes");
        if (m.payloadLength() > 0) {
            sb.append(": ").append(payload(m));
        }
        return sb.toString();
    }

    private static String payload(Message m) {
        byte[] bytes = m.payload();
        String prefix = "";
        if (m.compressType() == CompressType.GZIP) {
            try {
                bytes = inflate(bytes);
                prefix = "(" + bytes.length + " bytes inflated) ";
            } catch (IOException e) {
                return "(not valid gzip: " + e.getMessage() + ") " + hex(m.payload());
            }
        }
        int type = m.serializeType();
        if (type == SerializeType.JSON) {
            try {
                return prefix + StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            } catch (CharacterCodingException e) {
                return prefix + "(not UTF-8) " + hex(bytes);
            }
        }
        if (type != SerializeType.NONE) {
            try {
                return prefix + JsonTree.print(Codecs.lookup(type).decode(bytes, Object.class));
            } catch (RuntimeException e) {
                return prefix + "(" + SerializeType.name(type) + " could not decode it: " + e.getMessage() + ") " + hex(bytes);
            }
        }
        return prefix + hex(bytes);
    }

    private static byte[] inflate(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] out = in.readNBytes(MAX_INFLATED + 1);
            if (out.length > MAX_INFLATED) {
                throw new IOException("inflates to more than " + MAX_INFLATED + " bytes");
            }
            return out;
        }
    }

    static String hex(byte[] bytes) {
        String h = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_SHOWN));
        return bytes.length > HEX_SHOWN ? h + "... (hex, first " + HEX_SHOWN + " bytes)" : h + " (hex)";
    }
}
