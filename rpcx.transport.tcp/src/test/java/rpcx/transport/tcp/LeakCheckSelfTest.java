package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import rpcx.testkit.NettyLeakCheck;

/**
 * Proves that rpcx.testkit's {@link NettyLeakCheck} (autodetected for every test class of this module) notices a
 * leaked buffer. The leak is made on purpose and the check is called directly; collecting the report also clears
 * it, so this class itself passes.
 */
class LeakCheckSelfTest {
    @Test
    void detectsADeliberatelyLeakedBuffer() {
        ResourceLeakDetector.Level old = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // track this allocation for sure
        // keep the deliberate report off the console, so that any LEAK in the build output is a real one;
        // the check's own handler sits on this logger and still sees it
        Logger nettyLeaks = Logger.getLogger(NettyLeakCheck.LEAK_LOGGER);
        boolean parents = nettyLeaks.getUseParentHandlers();
        nettyLeaks.setUseParentHandlers(false);
        try {
            leakOneBuffer();
            List<String> leaks = NettyLeakCheck.awaitLeaks(Duration.ofSeconds(20));
            assertFalse(leaks.isEmpty(), "the leak check must see the leaked buffer");
            assertTrue(leaks.get(0).contains("LEAK"), leaks.get(0));
            assertTrue(String.join("\n", leaks).contains("leakOneBuffer"), "the report names where the buffer was created");
        } finally {
            ResourceLeakDetector.setLevel(old);
            nettyLeaks.setUseParentHandlers(parents);
        }
        assertDoesNotThrow(NettyLeakCheck::verifyNoLeaks, "a collected report is not reported twice");
    }

    /** Allocates a buffer and drops it without release(). */
    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(0x0800_0000_0000_0000L);
        buf.touch("rpcx leak self-test");
    }
}
