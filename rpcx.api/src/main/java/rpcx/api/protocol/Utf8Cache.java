package rpcx.api.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Service paths, method names and metadata keys repeat on every frame: this remembers the last few hundred of them
 * in both directions, so a frame's strings cost neither a decoder nor an allocation once seen. Two direct-mapped
 * tables of immutable entries; races between threads only ever lose an entry, never return a wrong one (entries
 * are compared byte for byte, or with {@link String#equals}, before use). Long strings are not cached.
 */
final class Utf8Cache {
    private static final int SIZE = 512;
    private static final int MAX_CACHED = 96;
    private static final Entry[] BY_BYTES = new Entry[SIZE];
    private static final Entry[] BY_STRING = new Entry[SIZE];

    private record Entry(String string, byte[] bytes, int hash) {
    }

    private Utf8Cache() {
    }

    /**
     * Decodes {@code len} bytes at the buffer's position as strict UTF-8 (rejecting malformed input) and advances
     * the position past them.
     */
    static String decode(ByteBuffer in, int len, String what) {
        int p = in.position();
        if (len > MAX_CACHED) {
            return strict(in, p, len, what);
        }
        int h = 1;
        for (int i = 0; i < len; i++) {
            h = 31 * h + in.get(p + i);
        }
        int slot = h & (SIZE - 1);
        Entry e = BY_BYTES[slot];
        if (e != null && e.hash == h && e.bytes.length == len && sameBytes(in, p, e.bytes)) {
            in.position(p + len);
            return e.string;
        }
        String s = strict(in, p, len, what);
        byte[] bytes = new byte[len];
        in.get(p, bytes);
        BY_BYTES[slot] = new Entry(s, bytes, h);
        return s;
    }

    /** The UTF-8 bytes of a string; the array may be shared and must not be modified. */
    static byte[] encode(String s) {
        if (s.length() > MAX_CACHED) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        int h = s.hashCode();
        int slot = h & (SIZE - 1);
        Entry e = BY_STRING[slot];
        if (e != null && e.string.equals(s)) {
            return e.bytes;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        BY_STRING[slot] = new Entry(s, bytes, h);
        return bytes;
    }

    private static boolean sameBytes(ByteBuffer in, int p, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (in.get(p + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static String strict(ByteBuffer in, int p, int len, String what) {
        ByteBuffer slice = in.slice(p, len);
        in.position(p + len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + " is not valid UTF-8", e);
        }
    }
}
