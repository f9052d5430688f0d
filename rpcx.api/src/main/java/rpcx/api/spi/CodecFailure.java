package rpcx.api.spi;

import java.util.ArrayDeque;

/**
 * For codec authors: an encode or decode error on its way up the value tree; every level adds its path segment
 * ({@link #at}), and the codec turns it into one {@link CodecException} at the top, naming {@link #path()}.
 * No stack trace: it is control flow, not a bug report.
 */
public final class CodecFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ArrayDeque<String> path = new ArrayDeque<>();

    /** A failure with a message. */
    public CodecFailure(String message) {
        super(message, null, false, false);
    }

    /** A failure with a message and its cause. */
    public CodecFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** Adds the segment of the enclosing level ({@code .Name}, {@code [3]}). */
    public CodecFailure at(String segment) {
        path.addFirst(segment);
        return this;
    }

    /** The path from the top-level value, e.g. {@code .Users[2].UID}; empty for the top-level value itself. */
    public String path() {
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

    /** The failure as the codec reports it: {@code "<context> at .Users[2].UID: <message>"}. */
    public CodecException toCodecException(String context) {
        String p = path();
        return new CodecException(context + (p.isEmpty() ? "" : " at " + p) + ": " + getMessage(), getCause());
    }
}
