/**
 * Server plugins, each added with {@code server.addPlugin(...)}:
 * <ul>
 *   <li>{@link rpcx.plugins.RequestRateLimiter}: a token bucket on requests; refusals are error replies
 *       ({@code request reached rate limit}), the connection stays;</li>
 *   <li>{@link rpcx.plugins.ConnectionRateLimiter}: a token bucket on accepted connections;</li>
 *   <li>{@link rpcx.plugins.IpFilter}: allow- and deny-lists of IPv4/IPv6 addresses and CIDR blocks;</li>
 *   <li>{@link rpcx.plugins.Alias}: other names for service methods;</li>
 *   <li>{@link rpcx.plugins.Metrics}: counters, rates and call times, as a {@link rpcx.plugins.MetricsSnapshot}
 *       and as a JMX {@link rpcx.plugins.ServerMetricsMXBean}.</li>
 * </ul>
 */
package rpcx.plugins;
