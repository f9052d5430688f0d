package rpcx.examples.member.cmd;

import java.util.HashMap;
import java.util.Map;

import rpcx.api.protocol.SerializeType;

/** Go-style command-line flags: {@code -addr x}, {@code --addr x} or {@code --addr=x}. */
public final class Flags {
    private final Map<String, String> values = new HashMap<>();

    private Flags() {
    }

    /** Parses the arguments; unknown flags are kept and may be read by name. */
    public static Flags parse(String[] args) {
        Flags f = new Flags();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.replaceFirst("^--?", "");
            int eq = name.indexOf('=');
            if (eq >= 0) {
                f.values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                f.values.put(name, args[++i]);
            } else {
                f.values.put(name, "true");
            }
        }
        return f;
    }

    /** A flag's value, or the default. */
    public String get(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /** The {@code -codec} flag as a SerializeType: {@code msgpack} (default), {@code json}, {@code raw} or a number. */
    public int codec() {
        String c = get("codec", "msgpack");
        return switch (c) {
            case "msgpack" -> SerializeType.MSGPACK;
            case "json" -> SerializeType.JSON;
            case "protobuf" -> SerializeType.PROTOBUF;
            case "thrift" -> SerializeType.THRIFT;
            case "raw" -> SerializeType.NONE;
            default -> Integer.parseInt(c);
        };
    }
}
