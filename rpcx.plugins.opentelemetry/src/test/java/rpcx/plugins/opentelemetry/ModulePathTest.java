package rpcx.plugins.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * On the module path: the module resolves with its declared dependencies (the OpenTelemetry API as automatic
 * modules) and its plugins can be made with the API's no-op OpenTelemetry of that layer.
 */
class ModulePathTest {
    @Test
    void resolvesAndWorksAsANamedModule() throws Exception {
        ModuleLayer layer = rpcx.testkit.ModulePath.layer("rpcx.plugins.opentelemetry");
        Module plugin = layer.findModule("rpcx.plugins.opentelemetry").orElseThrow();
        assertFalse(plugin.getDescriptor().isAutomatic());
        assertNotNull(layer.findModule("io.opentelemetry.api").orElse(null));
        assertNotNull(layer.findModule("io.opentelemetry.context").orElse(null));

        ClassLoader loader = layer.findLoader("rpcx.plugins.opentelemetry");
        Class<?> otelType = loader.loadClass("io.opentelemetry.api.OpenTelemetry");
        Object noop = otelType.getMethod("noop").invoke(null);
        for (String name : new String[] {"OpenTelemetryServerTracing", "OpenTelemetryClientTracing"}) {
            Class<?> type = loader.loadClass("rpcx.plugins.opentelemetry." + name);
            assertEquals(plugin, type.getModule());
            assertNotNull(type.getConstructor(otelType).newInstance(noop));
        }
    }
}
