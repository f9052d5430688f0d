package rpcx.transfer;

import java.util.Objects;

import rpcx.api.Server;

/**
 * What {@link FileTransfer} and {@link StreamService} share: a side channel, the address it hands out, and the rpcx
 * service that hands out its tokens.
 *
 * @param <S> the concrete type, returned by the chaining methods
 */
abstract class SideChannelService<S extends SideChannelService<S>> implements AutoCloseable {
    final SideChannel channel;
    private final String serviceName;

    SideChannelService(SideChannel channel, String serviceName) {
        this.channel = channel;
        this.serviceName = serviceName;
    }

    /** The object registered with the server: its methods answer the calls with tokens. */
    abstract Object service();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Hands out this address instead of the listening one (Go's {@code AdvertiseAddr}), e.g. behind NAT. */
    public S advertise(String address) {
        channel.advertise(Objects.requireNonNull(address, "address"));
        return self();
    }

    /** The address handed out with tokens. */
    public String address() {
        return channel.address();
    }

    /** Registers the service under its Go name (Go's {@code EnableFileTransfer("", ...)}, {@code EnableStreamService}). */
    public S enable(Server server) {
        return enable(server, serviceName);
    }

    /** Registers the service under another name. */
    public S enable(Server server, String name) {
        server.register(name, service(), "");
        return self();
    }

    /** Stops listening; transfers and streams under way go on until their handlers return. */
    @Override
    public void close() {
        channel.close();
    }
}
