package rpcx.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The JSON-RPC 2.0 envelope of Go rpcx's {@code server/jsonrpc2.go}: parsing a request and writing a response,
 * with jackson-core's streaming parser. {@code params} is cut out of the request body by token offsets (the exact
 * bytes the client sent, never re-encoded) and becomes the JSON payload of the rpcx request; the reply payload is
 * written as {@code result} byte for byte.
 *
 * <ul>
 *   <li>Member names match case-insensitively, and the last of duplicate members wins, as Go's
 *       {@code encoding/json} decodes them; unknown members are ignored.</li>
 *   <li>{@code method} is split at its <b>last</b> dot; none (or a leading one) is -32601, as Go.</li>
 *   <li>{@code id} absent or {@code null}: a notification (Go treats a null id as absent). A number or a string is
 *       echoed exactly as sent.</li>
 *   <li>{@code params} absent or {@code null}: the payload is {@code null} (Go dereferences a nil pointer there and
 *       answers nothing).</li>
 *   <li>Malformed JSON (including trailing bytes after the object) is -32700 with the parser's message.
 *       Well-formed JSON of the wrong shape is -32600: a batch (an array; Go does not accept batches either, it
 *       answers -32700), a value that is not an object, {@code jsonrpc} other than {@code "2.0"}, a {@code method}
 *       that is missing or not a string, an {@code id} that is not a number, string or null. Go answers -32700
 *       to all of these.</li>
 * </ul>
 */
final class JsonRpc {
    /** Invalid JSON. */
    static final int PARSE_ERROR = -32700;
    /** Not a valid request object. */
    static final int INVALID_REQUEST = -32600;
    /** No service path in the method. */
    static final int METHOD_NOT_FOUND = -32601;
    /** Auth, plugin, service or framework error (Go's {@code CodeInternalJSONRPCError}). */
    static final int INTERNAL_ERROR = -32603;

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private JsonRpc() {
    }

    /**
     * A parsed request.
     *
     * @param id            the raw id (a JSON number or string as sent), or null for a notification
     * @param servicePath   before the last dot of {@code method}
     * @param serviceMethod after the last dot
     * @param params        the raw params bytes ({@code null} when absent)
     */
    record Call(byte[] id, String servicePath, String serviceMethod, byte[] params) {
        boolean notification() {
            return id == null;
        }
    }

    /** A request that cannot be called; {@link #response()} is what to answer (unless it is a notification). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final transient byte[] id;
        private final boolean notification;

        Failure(int code, String message, byte[] id, boolean notification) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
            this.notification = notification;
        }

        int code() {
            return code;
        }

        /** A notification with a well-formed envelope gets no error response, as in Go (only the empty 200). */
        boolean silent() {
            return notification && code != PARSE_ERROR && code != INVALID_REQUEST;
        }

        byte[] response() {
            return error(id, code, getMessage());
        }
    }

    /**
     * Parses a request body.
     *
     * @throws Failure with the error code and the id (when it could be read)
     */
    static Call parse(byte[] body) throws Failure {
        byte[] id = null;
        String method = null;
        boolean methodBad = false;
        boolean versionBad = false;
        boolean idBad = false;
        byte[] params = null;
        JsonToken root;
        try (JsonParser p = JSON.createParser(body)) {
            root = p.nextToken();
            if (root == null) {
                throw new Failure(PARSE_ERROR, "unexpected end of JSON input", null, false);
            }
            if (root != JsonToken.START_OBJECT) {
                p.skipChildren();
                expectEnd(p);
                throw new Failure(INVALID_REQUEST, root == JsonToken.START_ARRAY
                        ? "batch requests are not supported (Go rpcx does not support them either)"
                        : "a JSON-RPC request must be a JSON object", null, false);
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equalsIgnoreCase("jsonrpc")) {
                    versionBad = v != JsonToken.VALUE_STRING || !"2.0".equals(p.getText());
                    p.skipChildren();
                } else if (name.equalsIgnoreCase("method")) {
                    if (v == JsonToken.VALUE_STRING) {
                        method = p.getText();
                        methodBad = false;
                    } else {
                        method = null;
                        methodBad = v != JsonToken.VALUE_NULL;
                        p.skipChildren();
                    }
                } else if (name.equalsIgnoreCase("params")) {
                    params = v == JsonToken.VALUE_NULL ? null : raw(p, body, v);
                } else if (name.equalsIgnoreCase("id")) {
                    idBad = false;
                    if (v == JsonToken.VALUE_NULL) {
                        id = null;
                    } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_STRING) {
                        id = raw(p, body, v);
                    } else {
                        id = null;
                        idBad = true;
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new Failure(PARSE_ERROR, "unexpected end of JSON input", null, false);
            }
            expectEnd(p);
        } catch (IOException e) {
            throw new Failure(PARSE_ERROR, parserMessage(e), null, false);
        }
        boolean notification = id == null;
        if (idBad) {
            throw new Failure(INVALID_REQUEST, "id must be a number, a string or null", null, false);
        }
        if (versionBad) {
            throw new Failure(INVALID_REQUEST, "invalid RPC version: jsonrpc must be \"2.0\"", id, false);
        }
        if (methodBad || method == null) {
            throw new Failure(INVALID_REQUEST, "method must be a string", id, false);
        }
        int lastDot = method.lastIndexOf('.');
        if (lastDot <= 0) {
            throw new Failure(METHOD_NOT_FOUND, "must contains servicepath and method", id, notification);
        }
        return new Call(id, method.substring(0, lastDot), method.substring(lastDot + 1), params == null ? NULL : params);
    }

    /** The exact bytes of the current value (an object or array is skipped to its end). */
    private static byte[] raw(JsonParser p, byte[] body, JsonToken v) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        if (v.isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        long end = p.currentLocation().getByteOffset();
        if (start < 0 || end > body.length || end <= start) {
            throw new IOException("cannot locate a JSON value in the request body");
        }
        return Arrays.copyOfRange(body, (int) start, (int) end);
    }

    private static void expectEnd(JsonParser p) throws IOException, Failure {
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new Failure(PARSE_ERROR, "invalid character after top-level value", null, false);
        }
    }

    private static String parserMessage(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.toString() : m;
    }

    /** {@code {"jsonrpc":"2.0","result":<raw>,"id":<id>}}; an empty result is {@code null}. */
    static byte[] result(byte[] id, byte[] rawResult) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(40 + rawResult.length);
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"result\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(rawResult.length == 0 ? NULL : rawResult);
        out.writeBytes(",\"id\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(id == null ? NULL : id);
        out.write('}');
        return out.toByteArray();
    }

    /** {@code {"jsonrpc":"2.0","error":{"code":c,"message":"...","data":null},"id":<id or null>}}. */
    static byte[] error(byte[] id, int code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(80);
        out.writeBytes(("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":").getBytes(StandardCharsets.US_ASCII));
        quote(out, message == null ? "" : message);
        out.writeBytes(",\"data\":null},\"id\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(id == null ? NULL : id);
        out.write('}');
        return out.toByteArray();
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe: {@code < > &} escaped). */
    private static void quote(ByteArrayOutputStream out, String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        out.writeBytes(sb.append('"').toString().getBytes(StandardCharsets.UTF_8));
    }
}
