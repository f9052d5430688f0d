package rpcx.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough JSON for flat result objects: string, number and boolean values, no nesting. */
public final class Json {
    private Json() {
    }

    /** Writes a flat object on one line. */
    public static String write(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey()).append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                double d = v instanceof Number n ? n.doubleValue() : 0;
                sb.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : v.toString());
            } else {
                quote(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** Reads a flat object written by {@link #write}: numbers come back as Double, null as null. */
    public static Map<String, Object> read(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        int[] pos = {skip(text, text.indexOf('{') + 1)};
        while (pos[0] < text.length() && text.charAt(pos[0]) != '}') {
            String key = string(text, pos);
            pos[0] = skip(text, text.indexOf(':', pos[0]) + 1);
            Object value;
            char c = text.charAt(pos[0]);
            if (c == '"') {
                value = string(text, pos);
            } else {
                int end = pos[0];
                while (end < text.length() && ",}".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                String raw = text.substring(pos[0], end).trim();
                value = switch (raw) {
                    case "null" -> null;
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> Double.valueOf(raw);
                };
                pos[0] = end;
            }
            m.put(key, value);
            pos[0] = skip(text, pos[0]);
            if (pos[0] < text.length() && text.charAt(pos[0]) == ',') {
                pos[0] = skip(text, pos[0] + 1);
            }
        }
        return m;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String string(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1;
        while (s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        pos[0] = i + 1;
        return sb.toString();
    }
}
