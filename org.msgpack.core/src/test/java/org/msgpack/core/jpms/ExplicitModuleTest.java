package org.msgpack.core.jpms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;

/** The build output is an explicit module named org.msgpack.core that exports every msgpack package and works. */
class ExplicitModuleTest {

    private static Path moduleRoot() throws Exception {
        return Path.of(MessagePack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleReference module() throws Exception {
        return ModuleFinder.of(moduleRoot()).find("org.msgpack.core")
                .orElseThrow(() -> new AssertionError("no module org.msgpack.core in " + uncheckedRoot()));
    }

    private static Path uncheckedRoot() {
        try {
            return moduleRoot();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void descriptorIsExplicitAndExportsEveryPackage() throws Exception {
        ModuleDescriptor d = module().descriptor();
        assertFalse(d.isAutomatic(), "must be an explicit module for jlink");
        assertEquals("org.msgpack.core", d.name());
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(d.packages(), exported, "every package must be exported");
        assertEquals(Set.of("org.msgpack.core", "org.msgpack.core.annotations", "org.msgpack.core.buffer",
                "org.msgpack.value", "org.msgpack.value.impl"), exported);
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertTrue(requires.contains("jdk.unsupported"), "msgpack-core uses sun.misc.Unsafe: " + requires);
    }

    @Test
    void packsAndUnpacksWhenLoadedAsANamedModule() throws Exception {
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(ModuleFinder.of(moduleRoot()), ModuleFinder.of(),
                Set.of("org.msgpack.core"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> mp = layer.findLoader("org.msgpack.core").loadClass("org.msgpack.core.MessagePack");
        assertTrue(mp.getModule().isNamed());
        assertEquals("org.msgpack.core", mp.getModule().getName());

        Object packer = mp.getMethod("newDefaultBufferPacker").invoke(null);
        Class<?> packerType = packer.getClass();
        Method packLong = findPublic(packerType, "packLong", long.class);
        packLong.invoke(packer, 1_700_000_000_000_000_000L);
        byte[] bytes = (byte[]) findPublic(packerType, "toByteArray").invoke(packer);
        assertArrayEquals(new byte[] {(byte) 0xcf, 0x17, (byte) 0x97,
                (byte) 0x9c, (byte) 0xfe, 0x36, 0x2a, 0x00, 0x00}, bytes);

        Object unpacker = mp.getMethod("newDefaultUnpacker", byte[].class).invoke(null, (Object) bytes);
        Object back = findPublic(unpacker.getClass(), "unpackLong").invoke(unpacker);
        assertEquals(1_700_000_000_000_000_000L, back);
    }

    private static Method findPublic(Class<?> type, String name, Class<?>... params) throws NoSuchMethodException {
        return type.getMethod(name, params);
    }
}
