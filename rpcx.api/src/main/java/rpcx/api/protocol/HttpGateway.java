package rpcx.api.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The rpcx HTTP gateway mapping ("HTTP invoke", Go's {@code server/gateway.go} and {@code server/converter.go}):
 * an HTTP request with {@code X-RPCX-*} headers becomes an rpcx request {@link Message}, and the response
 * {@link Message} becomes the HTTP status and headers. Pure functions over strings, maps and byte arrays, with no
 * HTTP library: a transport (or a standalone gateway process) does the HTTP and calls these.
 *
 * <h2>Request ({@link #toRequest})</h2>
 * <table>
 *   <caption>HTTP input to rpcx request</caption>
 *   <tr><th>HTTP</th><th>becomes</th></tr>
 *   <tr><td>{@value #MESSAGE_ID}</td><td>seq (decimal unsigned 64-bit); absent = 0</td></tr>
 *   <tr><td>{@value #HEARTBEAT}</td><td>any non-empty value sets the heartbeat bit (even {@code false}, as Go)</td></tr>
 *   <tr><td>{@value #ONEWAY}</td><td>any non-empty value sets the oneway bit</td></tr>
 *   <tr><td>{@value #SERIALIZE_TYPE}</td><td>serialize type, decimal 0..15, <b>required</b></td></tr>
 *   <tr><td>{@value #COMPRESS_TYPE}</td><td>checked to be a decimal number; the body is <b>not</b> decompressed
 *       and the message is returned uncompressed (Go sets the bits but its gateway never inflates the body either:
 *       send uncompressed bodies)</td></tr>
 *   <tr><td>{@value #META}</td><td>metadata, URL query encoded ({@code a=1&b=2}, first value per key)</td></tr>
 *   <tr><td>{@value #AUTHORIZATION}</td><td>metadata {@value Message#AUTH_KEY} (wins over one in the meta header)</td></tr>
 *   <tr><td>{@value #SERVICE_PATH}</td><td>service path; absent = the URL path without its leading {@code /}</td></tr>
 *   <tr><td>{@value #SERVICE_METHOD}</td><td>service method, <b>required</b></td></tr>
 *   <tr><td>{@value #MESSAGE_TYPE} and the misspelled {@value #MESSAGE_TYPE_MISSPELLED}</td><td>accepted and
 *       ignored (Go's server never reads them; Go's client package still sends the misspelled one)</td></tr>
 *   <tr><td>body</td><td>payload</td></tr>
 * </table>
 * A header that is missing or does not parse raises {@link BadRequestException}, whose message is Go's text
 * ({@code empty servicepath}, {@code empty servicemethod}, {@code empty serialized type},
 * {@code strconv.ParseUint: parsing "x": invalid syntax}...). Header names are matched case-insensitively.
 *
 * <h2>Response</h2>
 * <ul>
 *   <li>Success ({@link #status} 200): body = the reply payload, headers {@link #responseHeaders}: version and
 *       message id echoed from the request, service path, method and serialize type, the response metadata in
 *       {@value #META} (URL query encoded, keys sorted, as Go's {@code url.Values.Encode}); no
 *       {@value #MESSAGE_STATUS_TYPE} and no {@code Content-Type}, as Go.</li>
 *   <li>Service or framework error (500), or authentication failure (401): empty body, the same headers without
 *       the metadata, plus {@value #MESSAGE_STATUS_TYPE}{@code : Error} and {@value #ERROR_MESSAGE}.</li>
 *   <li>Bad or missing headers ({@link BadRequestException}): HTTP <b>200</b> (as Go) with an empty body and
 *       {@link #badRequestHeaders}: the request's {@code X-RPCX-*} headers echoed, plus the error status and
 *       message.</li>
 * </ul>
 * Header values this class returns never contain CR or LF (replaced by spaces, as Go's {@code net/http} does).
 *
 * <p>{@link Cors} holds the CORS settings of Go's {@code Server.SetCORS} ({@code rs/cors}) and computes the
 * {@code Access-Control-*} headers of preflight and actual requests.
 */
public final class HttpGateway {
    /** {@code X-RPCX-Version}: echoed in responses. */
    public static final String VERSION = "X-RPCX-Version";
    /** {@code X-RPCX-MessageType}: ignored, as in Go. */
    public static final String MESSAGE_TYPE = "X-RPCX-MessageType";
    /** {@code X-RPCX-MesssageType} (three s): the spelling of Go's client package and older servers; ignored. */
    public static final String MESSAGE_TYPE_MISSPELLED = "X-RPCX-MesssageType";
    /** {@code X-RPCX-Heartbeat}: any non-empty value marks a heartbeat. */
    public static final String HEARTBEAT = "X-RPCX-Heartbeat";
    /** {@code X-RPCX-Oneway}: any non-empty value marks a oneway request. */
    public static final String ONEWAY = "X-RPCX-Oneway";
    /** {@code X-RPCX-MessageStatusType}: {@code Error} on error responses. */
    public static final String MESSAGE_STATUS_TYPE = "X-RPCX-MessageStatusType";
    /** {@code X-RPCX-SerializeType}: the payload codec id, required. */
    public static final String SERIALIZE_TYPE = "X-RPCX-SerializeType";
    /** {@code X-RPCX-CompressType}: checked, not applied (see the class comment). */
    public static final String COMPRESS_TYPE = "X-RPCX-CompressType";
    /** {@code X-RPCX-MessageID}: the seq. */
    public static final String MESSAGE_ID = "X-RPCX-MessageID";
    /** {@code X-RPCX-ServicePath}: the service; defaults to the URL path. */
    public static final String SERVICE_PATH = "X-RPCX-ServicePath";
    /** {@code X-RPCX-ServiceMethod}: the method, required. */
    public static final String SERVICE_METHOD = "X-RPCX-ServiceMethod";
    /** {@code X-RPCX-Meta}: metadata, URL query encoded. */
    public static final String META = "X-RPCX-Meta";
    /** {@code X-RPCX-ErrorMessage}: the error text of error responses. */
    public static final String ERROR_MESSAGE = "X-RPCX-ErrorMessage";
    /** {@code Authorization}: becomes metadata {@value Message#AUTH_KEY}. */
    public static final String AUTHORIZATION = "Authorization";
    /** {@code X-JSONRPC-2.0}: with the value {@code true} a request is JSON-RPC 2.0 rather than a gateway call. */
    public static final String JSONRPC = "X-JSONRPC-2.0";
    /** The prefix of every rpcx gateway header. */
    public static final String HEADER_PREFIX = "X-RPCX-";
    /** The value of {@value #MESSAGE_STATUS_TYPE} on errors. */
    public static final String STATUS_ERROR = "Error";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HttpGateway() {
    }

    /**
     * A request header that is missing or does not parse. The message is the text Go's gateway sends in
     * {@value #ERROR_MESSAGE}; answer with {@link #badRequestHeaders} and HTTP 200.
     */
    public static final class BadRequestException extends ProtocolException {
        private static final long serialVersionUID = 1L;

        /** Creates the error. */
        public BadRequestException(String message) {
            super(message);
        }
    }

    /**
     * Converts an HTTP request into an rpcx request (Go's {@code HTTPRequest2RpcxRequest} plus the gateway's
     * checks).
     *
     * @param method  the HTTP method (not interpreted: routing is the caller's business; Go's gateway serves
     *                {@code POST}, {@code GET} and {@code PUT})
     * @param path    the decoded URL path without the query, e.g. {@code /Arith}; used as the service path when
     *                {@value #SERVICE_PATH} is absent
     * @param headers the request headers, names in any case, values in order
     * @param body    the request body (kept, not copied); null = empty
     * @return the request message
     * @throws BadRequestException when a required header is missing or a header does not parse
     */
    public static Message toRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        long seq = 0;
        String id = header(headers, MESSAGE_ID);
        if (!id.isEmpty()) {
            seq = parseUint64(id);
        }
        boolean heartbeat = !header(headers, HEARTBEAT).isEmpty();
        boolean oneway = !header(headers, ONEWAY).isEmpty();
        String st = header(headers, SERIALIZE_TYPE);
        int serializeType = -1;
        if (!st.isEmpty()) {
            serializeType = atoi(st);
        }
        String ct = header(headers, COMPRESS_TYPE);
        if (!ct.isEmpty()) {
            atoi(ct); // validated as Go does; the body is taken as is (see the class comment)
        }
        Map<String, String> metadata = new HashMap<>();
        String meta = header(headers, META);
        if (!meta.isEmpty()) {
            metadata.putAll(parseMeta(meta));
        }
        String auth = header(headers, AUTHORIZATION);
        if (!auth.isEmpty()) {
            metadata.put(Message.AUTH_KEY, auth);
        }
        String servicePath = servicePath(path, headers);
        if (servicePath.isEmpty()) {
            throw new BadRequestException("empty servicepath");
        }
        String serviceMethod = header(headers, SERVICE_METHOD);
        if (serviceMethod.isEmpty()) {
            throw new BadRequestException("empty servicemethod");
        }
        if (st.isEmpty()) {
            throw new BadRequestException("empty serialized type");
        }
        if (serializeType < 0 || serializeType > SerializeType.MAX) {
            throw new BadRequestException(SERIALIZE_TYPE + " must be 0.." + SerializeType.MAX + ": " + st);
        }
        Message m = Message.request(seq, servicePath, serviceMethod, serializeType, metadata, body);
        if (heartbeat) {
            m = m.withHeartbeat(true);
        }
        if (oneway) {
            m = m.withOneway(true);
        }
        return m;
    }

    /**
     * The service path of a request: {@value #SERVICE_PATH}, or else the URL path with one leading {@code /}
     * removed (so {@code POST /Arith} calls service {@code Arith}).
     *
     * @param path    the decoded URL path, may be null
     * @param headers the request headers
     * @return the service path, empty when there is none
     */
    public static String servicePath(String path, Map<String, List<String>> headers) {
        String fromHeader = header(headers, SERVICE_PATH);
        if (!fromHeader.isEmpty()) {
            return fromHeader;
        }
        if (path == null) {
            return "";
        }
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /**
     * The HTTP status of a response message: 200 for a normal response, 500 for an error response, 401 for an
     * error response after which the server closed the connection (that is how the rpcx server signals that the
     * authentication function refused the call).
     *
     * @param response           the response message
     * @param closedAfterwards   whether the server closed the (pseudo) connection right after the response
     * @return 200, 401 or 500
     */
    public static int status(Message response, boolean closedAfterwards) {
        if (!response.isError()) {
            return 200;
        }
        return closedAfterwards ? 401 : 500;
    }

    /**
     * The HTTP headers of a response, success or error, in Go's order. Success: {@value #VERSION} and
     * {@value #MESSAGE_ID} echoed from the request (empty values when the request had none, as Go),
     * {@value #SERVICE_PATH}, {@value #SERVICE_METHOD}, {@value #SERIALIZE_TYPE}, {@value #META} (the response
     * metadata, possibly empty), and {@value #COMPRESS_TYPE} only when the response payload is compressed. Error:
     * the same without the metadata, plus {@value #MESSAGE_STATUS_TYPE}{@code : Error} and {@value #ERROR_MESSAGE}.
     *
     * @param requestHeaders the request's headers
     * @param response       the response message
     * @return header names to values, in order
     */
    public static Map<String, String> responseHeaders(Map<String, List<String>> requestHeaders, Message response) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(VERSION, clean(header(requestHeaders, VERSION)));
        h.put(MESSAGE_ID, clean(header(requestHeaders, MESSAGE_ID)));
        String path = header(requestHeaders, SERVICE_PATH);
        h.put(SERVICE_PATH, clean(path.isEmpty() ? response.servicePath() : path));
        h.put(SERVICE_METHOD, clean(header(requestHeaders, SERVICE_METHOD)));
        h.put(SERIALIZE_TYPE, clean(header(requestHeaders, SERIALIZE_TYPE)));
        if (response.isError()) {
            h.put(MESSAGE_STATUS_TYPE, STATUS_ERROR);
            String error = response.errorMessage();
            h.put(ERROR_MESSAGE, clean(error == null ? "" : error));
            return h;
        }
        Map<String, String> meta = new HashMap<>(response.metadata());
        meta.remove(Message.ERROR_KEY);
        h.put(META, encodeMeta(meta));
        if (response.compressType() != CompressType.NONE) {
            h.put(COMPRESS_TYPE, Integer.toString(response.compressType()));
        }
        return h;
    }

    /**
     * The headers of the answer to a request {@link #toRequest} refused (sent with HTTP 200 and an empty body, as
     * Go): {@value #VERSION}, {@value #MESSAGE_ID}, {@value #SERVICE_PATH} (the effective one),
     * {@value #SERVICE_METHOD} and {@value #SERIALIZE_TYPE}, then every {@code X-RPCX-*} request header (first
     * value, name as the client spelled it), then {@value #MESSAGE_STATUS_TYPE}{@code : Error} and
     * {@value #ERROR_MESSAGE}.
     *
     * @param requestHeaders the request's headers
     * @param path           the decoded URL path (for the effective service path)
     * @param error          the error text, e.g. {@link BadRequestException#getMessage()}
     * @return header names to values, in order
     */
    public static Map<String, String> badRequestHeaders(Map<String, List<String>> requestHeaders, String path, String error) {
        Map<String, String> h = new LinkedHashMap<>();
        put(h, VERSION, header(requestHeaders, VERSION));
        put(h, MESSAGE_ID, header(requestHeaders, MESSAGE_ID));
        put(h, SERVICE_PATH, servicePath(path, requestHeaders));
        put(h, SERVICE_METHOD, header(requestHeaders, SERVICE_METHOD));
        put(h, SERIALIZE_TYPE, header(requestHeaders, SERIALIZE_TYPE));
        for (Map.Entry<String, List<String>> e : requestHeaders.entrySet()) {
            String name = e.getKey();
            if (name != null && name.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())
                    && e.getValue() != null && !e.getValue().isEmpty()) {
                put(h, name, e.getValue().get(0));
            }
        }
        put(h, MESSAGE_STATUS_TYPE, STATUS_ERROR);
        put(h, ERROR_MESSAGE, error == null ? "" : error);
        return h;
    }

    /** Puts a header, replacing one of the same name in another case (keeps the first position). */
    private static void put(Map<String, String> h, String name, String value) {
        for (String k : h.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                h.put(k, clean(value));
                return;
            }
        }
        h.put(name, clean(value));
    }

    /**
     * The first value of a header, matched case-insensitively, or {@code ""} (Go's {@code Header.Get}).
     *
     * @param headers the headers
     * @param name    the header name
     * @return its first value, or an empty string
     */
    public static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return "";
        }
        List<String> values = headers.get(name);
        if (values == null) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (name.equalsIgnoreCase(e.getKey())) {
                    values = e.getValue();
                    break;
                }
            }
        }
        if (values == null || values.isEmpty() || values.get(0) == null) {
            return "";
        }
        return values.get(0);
    }

    /** A header value without CR, LF or other control characters (each becomes a space; tab stays). */
    static String clean(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                StringBuilder sb = new StringBuilder(value.length());
                for (int j = 0; j < value.length(); j++) {
                    char d = value.charAt(j);
                    sb.append((d < 0x20 && d != '\t') || d == 0x7F ? ' ' : d);
                }
                return sb.toString();
            }
        }
        return value;
    }

    private static long parseUint64(String s) {
        if (s.isEmpty()) {
            throw new BadRequestException("strconv.ParseUint: parsing " + quote(s) + ": invalid syntax");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadRequestException("strconv.ParseUint: parsing " + quote(s) + ": invalid syntax");
            }
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new BadRequestException("strconv.ParseUint: parsing " + quote(s) + ": value out of range");
        }
    }

    private static int atoi(String s) {
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            i = 1;
        }
        if (i == s.length()) {
            throw new BadRequestException("strconv.Atoi: parsing " + quote(s) + ": invalid syntax");
        }
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                throw new BadRequestException("strconv.Atoi: parsing " + quote(s) + ": invalid syntax");
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new BadRequestException("strconv.Atoi: parsing " + quote(s) + ": value out of range");
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Parses {@value #META}: a URL query ({@code k=v&k2=v2}; {@code +} is a space, {@code %XX} a byte of UTF-8),
     * the first value of each key, as Go's {@code url.ParseQuery}.
     *
     * @param query the header value
     * @return the metadata (mutable, unordered)
     * @throws BadRequestException on a bad escape or a {@code ;} separator, with Go's message
     */
    public static Map<String, String> parseMeta(String query) {
        return parseQuery(query, false);
    }

    /**
     * Parses {@value #META} like {@link #parseMeta} but skips the pairs that do not parse instead of failing (what
     * Go's JSON-RPC handler does, ignoring {@code url.ParseQuery}'s error).
     *
     * @param query the header value
     * @return the metadata that parsed
     */
    public static Map<String, String> parseMetaLenient(String query) {
        return parseQuery(query, true);
    }

    private static Map<String, String> parseQuery(String query, boolean lenient) {
        Map<String, String> out = new HashMap<>();
        if (query == null) {
            return out;
        }
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            String pair = query.substring(start, end);
            start = end + 1;
            if (!pair.isEmpty()) {
                try {
                    if (pair.indexOf(';') >= 0) {
                        throw new BadRequestException("invalid semicolon separator in query");
                    }
                    int eq = pair.indexOf('=');
                    String key = unescape(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
                    out.putIfAbsent(key, value);
                } catch (BadRequestException e) {
                    if (!lenient) {
                        throw e;
                    }
                }
            }
            if (amp < 0) {
                break;
            }
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                if (i + 2 >= utf8.length || hex(utf8[i + 1]) < 0 || hex(utf8[i + 2]) < 0) {
                    String bad = new String(utf8, i, Math.min(3, utf8.length - i), StandardCharsets.UTF_8);
                    throw new BadRequestException("invalid URL escape " + quote(bad));
                }
                out.write(hex(utf8[i + 1]) << 4 | hex(utf8[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Encodes metadata for {@value #META} as Go's {@code url.Values.Encode}: keys sorted (by their UTF-8 bytes),
     * {@code key=value} joined by {@code &}, each escaped as Go's {@code url.QueryEscape} (a space is {@code +};
     * everything but {@code A-Z a-z 0-9 - _ . ~} is {@code %XX}).
     *
     * @param metadata the metadata
     * @return the encoded form, empty for no metadata
     */
    public static String encodeMeta(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return "";
        }
        Map<String, List<String>> values = new java.util.HashMap<>();
        metadata.forEach((k, v) -> values.put(k, List.of(v == null ? "" : v)));
        return encodeQuery(values);
    }

    /**
     * Go's {@code url.Values.Encode}: keys sorted (by their UTF-8 bytes), each of a key's values in order as
     * {@code key=value}, joined by {@code &}, escaped as {@code url.QueryEscape}.
     *
     * @param values the keys and their values
     * @return the encoded form, empty for no values
     */
    public static String encodeQuery(Map<String, ? extends List<String>> values) {
        List<String> keys = new ArrayList<>(values.keySet());
        keys.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            for (String v : values.get(k)) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                escape(sb, k);
                sb.append('=');
                escape(sb, v);
            }
        }
        return sb.toString();
    }

    private static void escape(StringBuilder sb, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else if (c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    /**
     * CORS settings (Go's {@code server.SetCORS(&cors.Options{...})}, computed as {@code rs/cors} does) and the
     * headers they produce.
     *
     * <ul>
     *   <li>A request without {@code Origin} is no CORS request: no headers.</li>
     *   <li>A <b>preflight</b> ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered by the
     *       server itself with 204 and {@link #preflightHeaders}; when the origin, method or a requested header is
     *       not allowed the 204 carries no {@code Access-Control-Allow-*} header, so the browser refuses.</li>
     *   <li>An <b>actual</b> request is served normally and its response gets {@link #actualHeaders}.</li>
     * </ul>
     *
     * @param allowedOrigins   origins allowed, compared case-insensitively; {@code *} (or an empty list) allows
     *                         all; one {@code *} inside an entry is a wildcard ({@code https://*.example.com})
     * @param allowedMethods   methods allowed; empty = {@code GET}, {@code POST}, {@code HEAD} (rs/cors' default)
     * @param allowedHeaders   request headers allowed; {@code *} allows all; empty = {@code Accept},
     *                         {@code Content-Type}, {@code X-Requested-With}; {@code Origin} is always allowed. The
     *                         gateway's {@code X-RPCX-*} headers must be listed (or {@code *}) for browsers to send
     *                         them cross-origin
     * @param exposedHeaders   response headers a page may read ({@code Access-Control-Expose-Headers}), e.g.
     *                         {@value #ERROR_MESSAGE}; empty = none
     * @param allowCredentials send {@code Access-Control-Allow-Credentials: true}
     * @param maxAge           how long a browser may cache a preflight answer; zero = no
     *                         {@code Access-Control-Max-Age} header
     * @param allowOriginFunc  decides which origins are allowed (rs/cors' {@code AllowOriginFunc}), or null; when
     *                         set, {@code allowedOrigins} is not consulted, and an allowed origin is echoed back
     *                         (not {@code *}) unless {@code allowedOrigins} holds {@code *}
     */
    public record Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                       List<String> exposedHeaders, boolean allowCredentials, Duration maxAge,
                       Predicate<String> allowOriginFunc) {
        /** Validates and copies the lists. */
        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
            allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
            exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
            maxAge = maxAge == null ? Duration.ZERO : maxAge;
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge must be zero or positive");
            }
        }

        /** The settings without an origin function. */
        public Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                    List<String> exposedHeaders, boolean allowCredentials, Duration maxAge) {
            this(allowedOrigins, allowedMethods, allowedHeaders, exposedHeaders, allowCredentials, maxAge, null);
        }

        /** Origins, methods, headers and max age; nothing exposed, no credentials. */
        public Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders, Duration maxAge) {
            this(allowedOrigins, allowedMethods, allowedHeaders, List.of(), false, maxAge);
        }

        /**
         * Go's {@code server.AllowAllCORSOptions()}: every origin, methods {@code HEAD GET POST PUT PATCH DELETE},
         * every header, no credentials.
         *
         * @return the settings
         */
        public static Cors allowAll() {
            return new Cors(List.of("*"), List.of("HEAD", "GET", "POST", "PUT", "PATCH", "DELETE"), List.of("*"),
                    List.of(), false, Duration.ZERO);
        }

        /**
         * A copy that exposes these response headers to pages.
         *
         * @param headers header names, e.g. {@value HttpGateway#ERROR_MESSAGE}
         * @return the changed settings
         */
        public Cors withExposedHeaders(List<String> headers) {
            return new Cors(allowedOrigins, allowedMethods, allowedHeaders, headers, allowCredentials, maxAge, allowOriginFunc);
        }

        /**
         * A copy with {@code Access-Control-Allow-Credentials} on or off.
         *
         * @param allow whether to allow credentials
         * @return the changed settings
         */
        public Cors withAllowCredentials(boolean allow) {
            return new Cors(allowedOrigins, allowedMethods, allowedHeaders, exposedHeaders, allow, maxAge, allowOriginFunc);
        }

        /**
         * A copy whose origins are decided by a function (rs/cors' {@code AllowOriginFunc}), e.g. one that accepts
         * every subdomain of a list read at run time. It is called on the event loop: keep it fast and non-blocking.
         *
         * @param allow given the {@code Origin} header's value, whether that origin is allowed; null removes it
         * @return the changed settings
         */
        public Cors withAllowOriginFunc(Predicate<String> allow) {
            return new Cors(allowedOrigins, allowedMethods, allowedHeaders, exposedHeaders, allowCredentials, maxAge, allow);
        }

        /**
         * Whether a request is a CORS preflight: {@code OPTIONS} with a non-empty
         * {@code Access-Control-Request-Method}.
         *
         * @param method  the HTTP method
         * @param headers the request headers
         * @return true for a preflight
         */
        public static boolean isPreflight(String method, Map<String, List<String>> headers) {
            return "OPTIONS".equalsIgnoreCase(method) && !header(headers, "Access-Control-Request-Method").isEmpty();
        }

        /**
         * The headers of the 204 answering a preflight: always {@code Vary}; the {@code Access-Control-Allow-*}
         * ones only when origin, method and every requested header are allowed.
         *
         * @param headers the preflight's request headers ({@code Origin}, {@code Access-Control-Request-Method},
         *                {@code Access-Control-Request-Headers})
         * @return header names to values
         */
        public Map<String, String> preflightHeaders(Map<String, List<String>> headers) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
            String origin = header(headers, "Origin");
            String method = header(headers, "Access-Control-Request-Method");
            if (origin.isEmpty() || !originAllowed(origin) || !methodAllowed(method)) {
                return h;
            }
            List<String> requested = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if ("Access-Control-Request-Headers".equalsIgnoreCase(e.getKey()) && e.getValue() != null) {
                    for (String v : e.getValue()) {
                        for (String part : v.split(",")) {
                            String name = part.trim();
                            if (!name.isEmpty()) {
                                requested.add(name);
                            }
                        }
                    }
                }
            }
            if (!headersAllowed(requested)) {
                return h;
            }
            h.put("Access-Control-Allow-Origin", allOriginsHeader() ? "*" : clean(origin));
            h.put("Access-Control-Allow-Methods", clean(method.toUpperCase(Locale.ROOT)));
            if (!requested.isEmpty()) {
                h.put("Access-Control-Allow-Headers", clean(String.join(", ", requested)));
            }
            if (allowCredentials) {
                h.put("Access-Control-Allow-Credentials", "true");
            }
            if (!maxAge.isZero()) {
                h.put("Access-Control-Max-Age", Long.toString(maxAge.toSeconds()));
            }
            return h;
        }

        /**
         * The CORS headers of the response to an actual (non-preflight) request: always {@code Vary: Origin}; the
         * others only for an allowed origin and method.
         *
         * @param method  the request's HTTP method
         * @param headers the request headers ({@code Origin})
         * @return header names to values
         */
        public Map<String, String> actualHeaders(String method, Map<String, List<String>> headers) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Vary", "Origin");
            String origin = header(headers, "Origin");
            if (origin.isEmpty() || !originAllowed(origin) || !methodAllowed(method)) {
                return h;
            }
            h.put("Access-Control-Allow-Origin", allOriginsHeader() ? "*" : clean(origin));
            if (!exposedHeaders.isEmpty()) {
                h.put("Access-Control-Expose-Headers", clean(String.join(", ", exposedHeaders)));
            }
            if (allowCredentials) {
                h.put("Access-Control-Allow-Credentials", "true");
            }
            return h;
        }

        /** rs/cors' {@code allowedOriginsAll}: answered with {@code *} rather than the origin. */
        private boolean allOriginsHeader() {
            return allowedOrigins.contains("*") || allowedOrigins.isEmpty() && allowOriginFunc == null;
        }

        /**
         * Whether an origin is allowed.
         *
         * @param origin the {@code Origin} header value
         * @return true when allowed
         */
        public boolean originAllowed(String origin) {
            if (allowOriginFunc != null) {
                return allowOriginFunc.test(origin);
            }
            if (allOriginsHeader()) {
                return true;
            }
            String o = origin.toLowerCase(Locale.ROOT);
            for (String allowed : allowedOrigins) {
                String a = allowed.toLowerCase(Locale.ROOT);
                int star = a.indexOf('*');
                if (star < 0 ? a.equals(o)
                        : o.length() >= a.length() - 1 && o.startsWith(a.substring(0, star)) && o.endsWith(a.substring(star + 1))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether a method is allowed ({@code OPTIONS} always is).
         *
         * @param method the method
         * @return true when allowed
         */
        public boolean methodAllowed(String method) {
            if (method == null || method.isEmpty()) {
                return false;
            }
            String m = method.toUpperCase(Locale.ROOT);
            if (m.equals("OPTIONS")) {
                return true;
            }
            List<String> allowed = allowedMethods.isEmpty() ? List.of("GET", "POST", "HEAD") : allowedMethods;
            for (String a : allowed) {
                if (a.equalsIgnoreCase(m)) {
                    return true;
                }
            }
            return false;
        }

        private boolean headersAllowed(List<String> requested) {
            if (allowedHeaders.contains("*")) {
                return true;
            }
            Map<String, Boolean> allowed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String a : allowedHeaders.isEmpty() ? List.of("Accept", "Content-Type", "X-Requested-With") : allowedHeaders) {
                allowed.put(a.trim(), Boolean.TRUE);
            }
            allowed.put("Origin", Boolean.TRUE);
            for (String r : requested) {
                if (!allowed.containsKey(r)) {
                    return false;
                }
            }
            return true;
        }
    }
}
