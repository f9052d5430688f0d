package rpcx.testkit;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Modules resolved from the test's class path as the module path, in a layer of their own: a quick check that a
 * module's descriptor resolves with its declared dependencies (automatic modules included) and works as a named
 * module, without starting a JVM.
 */
public final class ModulePath {
    private ModulePath() {
    }

    /**
     * Resolves the given root modules (and what they require, without service binding) from this JVM's class path
     * entries, and defines them in a new layer over the boot layer with one class loader.
     *
     * @param roots the modules to resolve, e.g. {@code rpcx.plugins.micrometer}
     * @return the layer
     * @throws java.lang.module.FindException       when a module or one it requires is missing
     * @throws java.lang.module.ResolutionException when they do not resolve
     */
    public static ModuleLayer layer(String... roots) {
        Path[] path = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .toArray(Path[]::new);
        Configuration c = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(path), ModuleFinder.of(),
                Set.of(roots));
        return ModuleLayer.boot().defineModulesWithOneLoader(c, ClassLoader.getPlatformClassLoader());
    }
}
