package rpcx.examples.member.cmd;

import java.time.Duration;
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

    /** The first of these flags that was given, or the default (for aliases: {@code -addr} / {@code -addr0}). */
    public String first(String defaultValue, String... names) {
        for (String n : names) {
            if (values.containsKey(n)) {
                return values.get(n);
            }
        }
        return defaultValue;
    }

    /** A flag's value as an int, or the default. */
    public int getInt(String name, int defaultValue) {
        String v = values.get(name);
        try {
            return v == null ? defaultValue : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-" + name + " must be a number, not " + v);
        }
    }

    /** A flag's value as a Go duration ({@code 500ms}, {@code 1s}, {@code 2m}), or the default given the same way. */
    public Duration duration(String name, String defaultValue) {
        return MemberServerWithOptions.goDuration(get(name, defaultValue));
    }

    /** {@code tcp@} in front of an address without a network, as the tutorial's clients write their servers. */
    public static String withNetwork(String address) {
        return address.contains("@") ? address : "tcp@" + address;
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
