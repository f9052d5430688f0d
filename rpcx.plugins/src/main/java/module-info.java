/**
 * Server plugins for {@link rpcx.api.ServerPlugin}, the Java counterparts of Go rpcx's {@code serverplugin}
 * package: {@link rpcx.plugins.RequestRateLimiter} ({@code ReqRateLimitingPlugin}),
 * {@link rpcx.plugins.ConnectionRateLimiter} ({@code RateLimitingPlugin}), {@link rpcx.plugins.IpFilter}
 * ({@code BlacklistPlugin}/{@code WhitelistPlugin}), {@link rpcx.plugins.Alias} ({@code AliasPlugin}) and
 * {@link rpcx.plugins.Metrics} ({@code MetricsPlugin}, exposed as a snapshot and as a JMX MXBean).
 *
 * <p>Plugins are added by code ({@code server.addPlugin(...)}); nothing here is found through {@code ServiceLoader}.
 * The public types of this module use types of {@code rpcx.api} and {@code java.management}, so both are required
 * transitively.
 */
module rpcx.plugins {
    requires transitive rpcx.api;
    requires transitive java.management;

    exports rpcx.plugins;
}
