package rpcx.registry.consul;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import rpcx.testkit.RegistryConformance;

/**
 * The registry conformance suite against {@link FakeConsul}, an in-test fake of Consul's KV, session and
 * blocking-query HTTP API (no Consul server can be had here). Its minimum session TTL is lowered from Consul's 10 s
 * so that sessions expire within the test's patience.
 */
class ConsulConformanceTest extends RegistryConformance {
    static FakeConsul consul;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startConsul() {
        consul = FakeConsul.start(Duration.ofMillis(100));
    }

    @AfterAll
    static void stopConsul() {
        if (consul != null) {
            consul.close();
        }
    }

    /** A key as Go's plugin writes it: the base path without its leading slash. */
    static String key(String basePath, String rest) {
        return basePath.replaceFirst("^/+", "") + "/" + rest;
    }

    @Override
    protected String address(String basePath, String query) {
        // the suite's parameters first (the first value of a parameter wins): re-put every second with Expired 3 s
        // gives sessions a 2 s TTL, which the fake (as Consul) doubles, so a killed server's node goes 4 s after its
        // last renewal (Consul itself allows no TTL under 10 s)
        return "consul://" + consul.address() + basePath + "?" + (query.isEmpty() ? "" : query + "&")
                + "updateInterval=PT1S&expired=PT3S&timeout=PT1S&watchWait=PT2S";
    }

    @Override
    protected Map<String, String> nodes(String basePath, String service) {
        String prefix = key(basePath, service + "/");
        Map<String, String> m = new TreeMap<>();
        consul.kv().forEach((k, e) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), new String(e.value(), StandardCharsets.UTF_8));
            }
        });
        return m;
    }

    /** A plain PUT through the HTTP API, as rpcx-ui writes: the key keeps its session. */
    @Override
    protected void operatorSets(String basePath, String service, String serviceAddress, String value) throws Exception {
        String k = key(basePath, service + "/" + serviceAddress);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + consul.address() + "/v1/kv/"
                        + URLEncoder.encode(k, StandardCharsets.UTF_8).replace("%2F", "/") + "?flags=3304740253564472344"))
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().trim().equals("true")) {
            throw new AssertionError("PUT " + k + ": " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    protected void stopRegistry() {
        consul.stop();
    }

    @Override
    protected void startRegistry() {
        consul.wipe();
        consul.restart();
    }
}
