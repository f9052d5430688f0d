package rpcx.api.spi;

/**
 * What a selector may look at to pick a server for one call.
 *
 * @param servicePath   the service
 * @param serviceMethod the method
 * @param args          the call's argument (may be null)
 */
public record SelectContext(String servicePath, String serviceMethod, Object args) {
}
