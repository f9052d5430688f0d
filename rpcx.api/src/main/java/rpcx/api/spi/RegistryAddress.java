package rpcx.api.spi;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import rpcx.api.RpcConfigurationException;
import rpcx.api.ServerNode;

/**
 * A registry address as registry modules read it: {@code scheme://host:port[,host:port...]/basePath?key=value}.
 * Durations are given as {@link Duration} texts ({@code PT10S}) or whole seconds ({@code 10}).
 *
 * @param uri      the address as given
 * @param hosts    the {@code host:port} entries, at least one
 * @param basePath the path as given ({@code /rpcx_test}), or the registry's default when there is none
 * @param params   the query parameters
 */
public record RegistryAddress(URI uri, List<String> hosts, String basePath, Map<String, List<String>> params) {
    /** Copies the collections. */
    public RegistryAddress {
        hosts = List.copyOf(hosts);
        params = Map.copyOf(params);
    }

    /**
     * Reads an address.
     *
     * @param defaultBasePath the base path when the address has none
     * @throws RpcConfigurationException when no host is named
     */
    public static RegistryAddress parse(URI uri, String defaultBasePath) {
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new RpcConfigurationException(uri.getScheme() + " registry address " + uri + " names no host: "
                    + uri.getScheme() + "://host:port/basePath");
        }
        List<String> hosts = new ArrayList<>();
        for (String hostPort : authority.split(",")) {
            if (!hostPort.isBlank()) {
                hosts.add(hostPort.trim());
            }
        }
        String path = uri.getPath();
        String query = uri.getRawQuery();
        return new RegistryAddress(uri, hosts, path == null || path.isEmpty() || path.equals("/") ? defaultBasePath : path,
                query == null ? Map.of() : ServerNode.parseQuery(query));
    }

    /** The parameter's first value, or {@code otherwise}. */
    public String text(String key, String otherwise) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? otherwise : v.get(0);
    }

    /** Whether the parameter is {@code true}. */
    public boolean flag(String key) {
        return "true".equals(text(key, "false"));
    }

    /**
     * The parameter as a duration, or {@code otherwise}.
     *
     * @throws RpcConfigurationException when it is neither whole seconds nor a {@code Duration} text
     */
    public Duration duration(String key, Duration otherwise) {
        String text = text(key, null);
        if (text == null) {
            return otherwise;
        }
        try {
            return text.startsWith("P") || text.startsWith("p") ? Duration.parse(text) : Duration.ofSeconds(Long.parseLong(text));
        } catch (RuntimeException e) {
            throw new RpcConfigurationException(uri.getScheme() + " registry: " + key + "=" + text
                    + " is neither seconds nor a Duration (PT10S)");
        }
    }
}
