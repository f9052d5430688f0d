package rpcx.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options; {@code --opt k=v} (repeatable) become target options. */
final class Args {
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> options = new LinkedHashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + a);
            }
            String name = a.substring(2);
            String value = args[++i];
            if (name.equals("opt")) {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--opt takes key=value, got " + value);
                }
                options.put(value.substring(0, eq), value.substring(eq + 1));
            } else {
                values.put(name, value);
            }
        }
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    int getInt(String name, int dflt) {
        return Integer.parseInt(get(name, Integer.toString(dflt)));
    }
}
