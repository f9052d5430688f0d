package rpcx.transport.tcp;

import io.netty.channel.epoll.Epoll;

/** Asks Netty whether native epoll loaded, without letting a missing class escape. */
final class EpollProbe {
    private EpollProbe() {
    }

    /** Why epoll cannot be used here, or null when it can. */
    static Throwable unavailabilityCause() {
        try {
            return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return e;
        }
    }
}
