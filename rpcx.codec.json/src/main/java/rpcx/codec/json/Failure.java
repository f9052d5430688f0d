package rpcx.codec.json;

import java.util.ArrayDeque;

/**
 * An encode or decode error on its way up the value tree; every level adds its path segment, and the codec turns
 * it into one CodecException at the top. No stack trace: it is control flow, not a bug report.
 */
final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ArrayDeque<String> path = new ArrayDeque<>();

    Failure(String message) {
        super(message, null, false, false);
    }

    Failure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** Adds the segment of the enclosing level ({@code .Name}, {@code [3]}). */
    Failure at(String segment) {
        path.addFirst(segment);
        return this;
    }

    /** The path from the top-level value, e.g. {@code .Users[2].UID}; empty for the top-level value itself. */
    String path() {
        if (path.size() <= 24) {
            return String.join("", path);
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String segment : path) {
            if (i < 12 || i >= path.size() - 6) {
                sb.append(segment);
            } else if (i == 12) {
                sb.append("...");
            }
            i++;
        }
        return sb.toString();
    }
}
