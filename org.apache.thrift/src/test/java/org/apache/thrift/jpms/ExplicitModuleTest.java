package org.apache.thrift.jpms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.thrift.TBase;
import org.junit.jupiter.api.Test;

/**
 * The build output is an explicit module named org.apache.thrift that exports every package, resolves with slf4j
 * alone (HTTP, servlet and commons-lang3 optional) and serializes.
 */
class ExplicitModuleTest {

    private static Path moduleRoot() throws Exception {
        return Path.of(TBase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void descriptorIsExplicitWithUpstreamsNameAndExportsEveryPackage() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(moduleRoot()).find("org.apache.thrift")
                .orElseThrow(() -> new AssertionError("no module org.apache.thrift")).descriptor();
        assertFalse(d.isAutomatic(), "must be an explicit module for jlink");
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(d.packages(), exported, "every package must be exported");
        assertTrue(exported.containsAll(Set.of("org.apache.thrift", "org.apache.thrift.protocol", "org.apache.thrift.transport")));
        Set<String> optional = d.requires().stream().filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("org.apache.httpcomponents.client5.httpclient5", "org.apache.httpcomponents.core5.httpcore5",
                "jakarta.servlet", "org.apache.commons.lang3"), optional);
    }

    @Test
    void serializesWhenLoadedAsANamedModuleWithOnlySlf4j() throws Exception {
        // the class path holds slf4j and the optional libraries: only slf4j may be resolved
        Path[] path = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .toArray(Path[]::new);
        Configuration cf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(path), ModuleFinder.of(),
                Set.of("org.apache.thrift"));
        Set<String> resolved = cf.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
        assertEquals(Set.of("org.apache.thrift", "org.slf4j"), resolved);
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("org.apache.thrift");

        Class<?> bufferType = loader.loadClass("org.apache.thrift.transport.TMemoryBuffer");
        Class<?> transportType = loader.loadClass("org.apache.thrift.transport.TTransport");
        Class<?> protocolType = loader.loadClass("org.apache.thrift.protocol.TBinaryProtocol");
        assertEquals("org.apache.thrift", protocolType.getModule().getName());
        Object buffer = bufferType.getConstructor(int.class).newInstance(16);
        Object out = protocolType.getConstructor(transportType).newInstance(buffer);
        protocolType.getMethod("writeI32", int.class).invoke(out, 999);
        protocolType.getMethod("writeString", String.class).invoke(out, "Joke");
        byte[] written = Arrays.copyOf((byte[]) bufferType.getMethod("getArray").invoke(buffer),
                (int) bufferType.getMethod("length").invoke(buffer));
        assertArrayEquals(new byte[] {0, 0, 3, (byte) 0xe7, 0, 0, 0, 4, 'J', 'o', 'k', 'e'}, written);

        Object in = protocolType.getConstructor(transportType).newInstance(buffer);
        assertEquals(999, protocolType.getMethod("readI32").invoke(in));
        assertEquals("Joke", protocolType.getMethod("readString").invoke(in));
    }
}
