package rpcx.api.spi;

import java.util.Set;

/**
 * A ServiceLoader provider of a transport: the networks it serves ({@code tcp}, {@code unix}...) and a factory
 * for {@link Transport} instances. Among available providers of one network the highest priority wins.
 */
public interface TransportProvider extends Provider {
    /** The network names of {@code network@address} strings this transport serves. */
    Set<String> networks();

    /** Creates a transport; it opens no socket and starts no thread until used. */
    Transport create(TransportConfig config);
}
