package rpcx.plugins.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * On the module path: the module resolves with its declared dependencies (Micrometer as automatic modules), a user
 * module that requires it reads Micrometer too ({@code requires transitive}), and its plugin records into a
 * registry of that layer.
 */
class ModulePathTest {
    @Test
    void resolvesAndWorksAsANamedModule() throws Exception {
        ModuleLayer layer = rpcx.testkit.ModulePath.layer("rpcx.plugins.micrometer");
        Module plugin = layer.findModule("rpcx.plugins.micrometer").orElseThrow();
        assertFalse(plugin.getDescriptor().isAutomatic());
        Module micrometer = layer.findModule("micrometer.core").orElseThrow();
        assertTrue(plugin.getDescriptor().requires().stream().anyMatch(r -> r.name().equals("micrometer.core")
                && r.modifiers().contains(java.lang.module.ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
        assertEquals(Set.of("rpcx.plugins.micrometer"), plugin.getDescriptor().exports().stream()
                .map(java.lang.module.ModuleDescriptor.Exports::source).collect(java.util.stream.Collectors.toSet()));

        ClassLoader loader = layer.findLoader("rpcx.plugins.micrometer");
        Class<?> registryType = loader.loadClass("io.micrometer.core.instrument.MeterRegistry");
        Object registry = loader.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry")
                .getConstructor().newInstance();
        Class<?> metrics = loader.loadClass("rpcx.plugins.micrometer.MicrometerServerMetrics");
        assertEquals(plugin, metrics.getModule());
        assertEquals(micrometer, registryType.getModule());
        Object serverMetrics = metrics.getConstructor(registryType).newInstance(registry);
        Class<?> connection = loader.loadClass("rpcx.api.ClientConnection");
        metrics.getMethod("connectionAccepted", connection).invoke(serverMetrics, (Object) null);
        Object search = registryType.getMethod("get", String.class).invoke(registry, "rpcx.server.connections.accepted");
        Object counter = search.getClass().getMethod("counter").invoke(search);
        assertEquals(1.0, (double) counter.getClass().getMethod("count").invoke(counter));
    }
}
