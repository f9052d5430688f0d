package rpcx.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One server of a service as discovery reports it: Go's {@code KVPair}. The address is {@code network@host:port}
 * (no {@code @} means {@code tcp}); the metadata is a URL query string such as {@code weight=7&group=a}.
 *
 * @param address  {@code network@address}
 * @param metadata URL-query metadata, possibly empty
 */
public record ServerNode(String address, String metadata) {
    /** Validates and normalises null metadata to empty. */
    public ServerNode {
        Objects.requireNonNull(address, "address");
        metadata = metadata == null ? "" : metadata;
    }

    /** A node with no metadata. */
    public static ServerNode of(String address) {
        return new ServerNode(address, "");
    }

    /** The network part: text before {@code @}, or {@code tcp} when there is none (as Go does). */
    public String network() {
        int at = address.indexOf('@');
        return at < 0 ? "tcp" : address.substring(0, at);
    }

    /** The address part after {@code @}. */
    public String hostAndPort() {
        int at = address.indexOf('@');
        return at < 0 ? address : address.substring(at + 1);
    }

    /** All values of each metadata key, in order (keys may repeat: {@code group=a&group=b}). */
    public Map<String, List<String>> metadataValues() {
        return parseQuery(metadata);
    }

    /** The first value of a metadata key, or null. */
    public String metadataValue(String key) {
        List<String> values = metadataValues().get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Whether Go's {@code url.ParseQuery} accepts the metadata without error: no {@code ;} separators and no
     * malformed {@code %} escapes.
     */
    public boolean isMetadataWellFormed() {
        if (metadata.indexOf(';') >= 0) {
            return false;
        }
        for (int i = 0; i < metadata.length(); i++) {
            if (metadata.charAt(i) == '%') {
                if (i + 2 >= metadata.length() || Character.digit(metadata.charAt(i + 1), 16) < 0
                        || Character.digit(metadata.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    /**
     * Encodes a query the way Go's {@code url.Values.Encode} does: keys sorted, values escaped with
     * {@code url.QueryEscape} (what Go's register plugins write back when they re-put a node).
     */
    public static String encodeQuery(Map<String, ? extends List<String>> values) {
        return rpcx.api.protocol.HttpGateway.encodeQuery(values);
    }

    /** Parses a URL query string the way Go's {@code url.ParseQuery} does (malformed pairs are skipped). */
    public static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return out;
    }
}
