package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every rpcx module declares its providers twice: {@code provides} in module-info (module path) and
 * {@code META-INF/services} (class path). The two must list exactly the same services and classes.
 */
class ProvidesMatchServicesTest {

    static List<Path> rpcxJars() throws IOException {
        List<Path> jars = new ArrayList<>(ChildJvm.jars().stream()
                .filter(p -> p.getFileName().toString().startsWith("rpcx.")).toList());
        try (Stream<Path> s = Files.list(Path.of("../rpcx.testkit/target"))) {
            s.filter(p -> p.getFileName().toString().matches("rpcx\\.testkit-[^-]+(-SNAPSHOT)?\\.jar")).forEach(jars::add);
        } catch (IOException ignored) {
            // testkit not packaged: its jar is checked when present
        }
        return jars;
    }

    static Map<String, Set<String>> servicesFiles(Path jar) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jf.entries())) {
                String name = e.getName();
                if (name.startsWith("META-INF/services/") && !e.isDirectory() && name.length() > "META-INF/services/".length()) {
                    try (InputStream in = jf.getInputStream(e)) {
                        Set<String> impls = new TreeSet<>();
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                            String l = line.replaceAll("#.*", "").strip();
                            if (!l.isEmpty()) {
                                impls.add(l);
                            }
                        }
                        out.put(name.substring("META-INF/services/".length()), impls);
                    }
                }
            }
        }
        return out;
    }

    static Map<String, Set<String>> provides(Path jar) {
        ModuleReference ref = ModuleFinder.of(jar).findAll().iterator().next();
        ModuleDescriptor d = ref.descriptor();
        assertFalse(d.isAutomatic(), jar + " must be an explicit module");
        Map<String, Set<String>> out = new TreeMap<>();
        for (ModuleDescriptor.Provides p : d.provides()) {
            out.put(p.service(), new TreeSet<>(p.providers()));
        }
        return out;
    }

    @Test
    void everyModulesProvidesEqualsItsMetaInfServices() throws IOException {
        List<Path> jars = rpcxJars();
        Set<String> modules = new TreeSet<>();
        for (Path jar : jars) {
            String name = ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
            modules.add(name);
            assertEquals(provides(jar), servicesFiles(jar), "module " + name + " (" + jar.getFileName() + ")");
        }
        assertTrue(modules.containsAll(Set.of("rpcx.api", "rpcx.transport.tcp", "rpcx.codec.msgpack", "rpcx.codec.json")),
                "checked modules: " + modules);
        assertFalse(provides(jars.stream().filter(j -> j.getFileName().toString().startsWith("rpcx.api")).findFirst().orElseThrow()).isEmpty());
    }
}
