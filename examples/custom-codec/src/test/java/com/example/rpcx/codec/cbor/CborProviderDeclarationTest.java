package com.example.rpcx.codec.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The two ways ServiceLoader finds the codec say the same thing: module-info's {@code provides} (module path) and
 * {@code META-INF/services} (class path). The module exports nothing and reads only what it declares.
 */
class CborProviderDeclarationTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void moduleInfoProvidesWhatMetaInfServicesLists() throws IOException {
        ModuleDescriptor module = ModuleFinder.of(CLASSES).findAll().iterator().next().descriptor();
        assertEquals("com.example.rpcx.codec.cbor", module.name());
        List<String> provided = module.provides().stream()
                .filter(p -> p.service().equals("rpcx.api.spi.CodecProvider"))
                .flatMap(p -> p.providers().stream()).toList();
        List<String> listed = Files.readAllLines(CLASSES.resolve("META-INF/services/rpcx.api.spi.CodecProvider"),
                StandardCharsets.UTF_8).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertEquals(List.of(CborCodecProvider.class.getName()), provided);
        assertEquals(provided, listed);
        assertTrue(module.exports().isEmpty(), "an implementation module exports nothing: " + module.exports());
        Set<String> requires = module.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(n -> !n.equals("java.base")).collect(Collectors.toSet());
        assertEquals(Set.of("rpcx.api", "com.fasterxml.jackson.core", "com.fasterxml.jackson.dataformat.cbor"),
                requires);
    }

    @Test
    void theProviderClaimsSerializeType5() {
        CborCodecProvider p = new CborCodecProvider();
        assertEquals(5, p.serializeType());
        assertEquals("cbor", p.name());
    }
}
