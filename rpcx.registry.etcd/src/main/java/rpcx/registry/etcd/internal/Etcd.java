package rpcx.registry.etcd.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import rpcx.api.RpcCancelledException;
import rpcx.api.TransportException;
import rpcx.registry.etcd.EtcdOptions;

/** What the registration and the discovery share: the client, keys as bytes, bounded waits with typed errors. */
final class Etcd {
    private Etcd() {
    }

    static Client client(EtcdOptions o) {
        return Client.builder().endpoints(o.endpoints().toArray(String[]::new))
                .connectTimeout(o.timeout()).build();
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Waits for an etcd request; failures become {@link TransportException}s naming what was being done. */
    static <T> T await(CompletableFuture<T> f, EtcdOptions o, String what) {
        try {
            return f.get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new RpcCancelledException("interrupted while " + what);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TransportException("etcd " + o.endpoints() + " did not answer within " + o.timeout().toMillis()
                    + " ms while " + what);
        } catch (ExecutionException e) {
            throw new TransportException("etcd " + o.endpoints() + " failed while " + what + ": " + e.getCause(), e.getCause());
        }
    }
}
