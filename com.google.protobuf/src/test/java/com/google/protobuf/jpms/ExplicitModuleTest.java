package com.google.protobuf.jpms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Message;

/** The build output is an explicit module named com.google.protobuf that exports every package and works. */
class ExplicitModuleTest {

    private static Path moduleRoot() throws Exception {
        return Path.of(Message.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void descriptorIsExplicitWithUpstreamsNameAndExportsEveryPackage() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(moduleRoot()).find("com.google.protobuf")
                .orElseThrow(() -> new AssertionError("no module com.google.protobuf")).descriptor();
        assertFalse(d.isAutomatic(), "must be an explicit module for jlink");
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("com.google.protobuf", "com.google.protobuf.compiler"), exported);
        assertEquals(d.packages(), exported, "every package must be exported, and no resource-only package kept");
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "java.logging", "jdk.unsupported"), requires);
    }

    @Test
    void encodesAndDecodesWhenLoadedAsANamedModule() throws Exception {
        Configuration cf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(moduleRoot()), ModuleFinder.of(),
                Set.of("com.google.protobuf"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("com.google.protobuf");
        Class<?> int64 = loader.loadClass("com.google.protobuf.Int64Value");
        assertEquals("com.google.protobuf", int64.getModule().getName());

        Object value = int64.getMethod("of", long.class).invoke(null, 1_700_000_000_000L);
        byte[] bytes = (byte[]) int64.getMethod("toByteArray").invoke(value);
        // field 1, varint
        assertArrayEquals(new byte[] {0x08, (byte) 0x80, (byte) 0xd0, (byte) 0x95, (byte) 0xff, (byte) 0xbc, 0x31}, bytes);
        Object back = int64.getMethod("parseFrom", byte[].class).invoke(null, (Object) bytes);
        assertEquals(1_700_000_000_000L, int64.getMethod("getValue").invoke(back));

        // descriptors and the text format: reflection over the module's own classes works inside the module
        Object descriptor = int64.getMethod("getDescriptor").invoke(null);
        assertEquals("google.protobuf.Int64Value", descriptor.getClass().getMethod("getFullName").invoke(descriptor));
        assertEquals("value: 1700000000000\n", value.toString());
    }
}
