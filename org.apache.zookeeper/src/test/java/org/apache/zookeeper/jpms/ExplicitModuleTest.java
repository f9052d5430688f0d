package org.apache.zookeeper.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The build output is one explicit module, org.apache.zookeeper, holding both upstream jars' packages (the split
 * ones once), exporting them all, and resolvable with only its declared dependencies.
 */
class ExplicitModuleTest {
    private static Path moduleRoot() throws Exception {
        return Path.of(ZooKeeper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void oneExplicitModuleWithTheSplitPackagesMergedAndEveryPackageExported() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(moduleRoot()).find("org.apache.zookeeper")
                .orElseThrow(() -> new AssertionError("no module org.apache.zookeeper")).descriptor();
        assertFalse(d.isAutomatic(), "must be an explicit module for jlink");
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(d.packages(), exported, "every package must be exported");
        assertTrue(exported.containsAll(Set.of("org.apache.jute", "org.apache.zookeeper",
                "org.apache.zookeeper.server.persistence", "org.apache.zookeeper.server.quorum")), exported.toString());
        // classes of both upstream jars in the two packages they split
        assertTrue(Class.forName("org.apache.zookeeper.server.persistence.FileHeader").getName().endsWith("FileHeader"),
                "jute's part of server.persistence");
        assertTrue(Class.forName("org.apache.zookeeper.server.persistence.FileTxnLog").getName().endsWith("FileTxnLog"),
                "zookeeper's part of server.persistence");
    }

    @Test
    void resolvesAsANamedModuleWithItsDependenciesAndTheServerOnes() throws Exception {
        Path[] path = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .toArray(Path[]::new);
        ModuleFinder finder = ModuleFinder.of(path);
        Configuration client = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
                Set.of("org.apache.zookeeper"));
        Set<String> resolved = client.modules().stream().map(m -> m.name()).collect(Collectors.toSet());
        assertTrue(resolved.containsAll(Set.of("org.slf4j", "io.netty.handler", "org.apache.commons.io")), resolved.toString());
        assertFalse(resolved.contains("com.codahale.metrics"), "server-only dependencies are optional for clients");

        Configuration server = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
                Set.of("org.apache.zookeeper", "com.codahale.metrics", "snappy.java"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(server, ClassLoader.getPlatformClassLoader());
        Class<?> zk = layer.findLoader("org.apache.zookeeper").loadClass("org.apache.zookeeper.ZooKeeper");
        assertEquals("org.apache.zookeeper", zk.getModule().getName());
        Class<?> serverClass = layer.findLoader("org.apache.zookeeper").loadClass("org.apache.zookeeper.server.ZooKeeperServer");
        assertTrue(serverClass.getModule().canRead(layer.findModule("com.codahale.metrics").orElseThrow()));
    }
}
