package rpcx.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * As a named module: rpcx.transfer resolves with rpcx.api alone, and a server in that layer registers its
 * services across the module boundary (rpcx.api calls classes of rpcx.transfer's exported package).
 */
class ModulePathTest {
    @Test
    void registersItsServicesFromAModuleOfItsOwn() throws Exception {
        ModuleLayer layer = rpcx.testkit.ModulePath.layer("rpcx.transfer");
        Module transfer = layer.findModule("rpcx.transfer").orElseThrow();
        assertFalse(transfer.getDescriptor().isAutomatic());
        ClassLoader loader = layer.findLoader("rpcx.transfer");
        Class<?> serverType = loader.loadClass("rpcx.api.Server");
        Class<?> files = loader.loadClass("rpcx.transfer.FileTransfer");
        Class<?> streams = loader.loadClass("rpcx.transfer.StreamService");
        assertEquals(transfer, files.getModule());
        Object server = serverType.getMethod("create").invoke(null);
        Class<?> upload = loader.loadClass("rpcx.transfer.FileTransfer$UploadHandler");
        Class<?> download = loader.loadClass("rpcx.transfer.FileTransfer$DownloadHandler");
        Object ft = files.getMethod("start", String.class, upload, download, int.class).invoke(null, "127.0.0.1:0", null, null, 10);
        Class<?> handler = loader.loadClass("rpcx.transfer.StreamService$StreamHandler");
        Class<?> acceptor = loader.loadClass("rpcx.transfer.StreamService$StreamAcceptor");
        Object echo = java.lang.reflect.Proxy.newProxyInstance(loader, new Class<?>[] {handler}, (p, m, a) -> null);
        Object ss = streams.getMethod("start", String.class, handler, acceptor, int.class).invoke(null, "127.0.0.1:0", echo, null, 10);
        try {
            files.getMethod("enable", serverType).invoke(ft, server);
            streams.getMethod("enable", serverType).invoke(ss, server);
            assertEquals(List.of("DownloadFile", "TransferFile"), serverType.getMethod("methods", String.class).invoke(server, "_filetransfer"));
            assertEquals(List.of("Stream"), serverType.getMethod("methods", String.class).invoke(server, "_streamservice"));
        } finally {
            files.getMethod("close").invoke(ft);
            streams.getMethod("close").invoke(ss);
            serverType.getMethod("close").invoke(server);
        }
    }
}
