package rpcx.examples.member.cmd;

import rpcx.api.RpcException;

/**
 * The text Go rpcx gives an error, for the examples' {@code failed to call: %v} lines. Where Go has a fixed error
 * value for the same situation, its text is used: {@code can not found any server} (Go's
 * {@code client.ErrXClientNoServer}: discovery, the {@code state}/{@code group} filters or the fan-out left no
 * server) and {@code breaker open} (Go's {@code client.ErrBreakerOpen}). Other errors keep the Java message
 * (Go's are operating-system texts such as {@code dial tcp ...: connect: connection refused}).
 */
public final class GoErrors {
    private GoErrors() {
    }

    /** Go's text for this error (see the class description). */
    public static String text(RpcException e) {
        return switch (e.kind()) {
            case NO_SERVER -> "can not found any server";
            case BREAKER_OPEN -> "breaker open";
            default -> e.getMessage();
        };
    }
}
