package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentSkipListMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rpcx list} and {@code rpcx state} over a registry browser (an in-memory test registry). */
class RpcxRegistryTest {
    @BeforeEach
    void nodes() {
        MemoryRegistryProvider.NODES.clear();
        var arith = new ConcurrentSkipListMap<String, String>();
        arith.put("tcp@10.0.0.1:8972", "weight=1&group=a%20b");
        arith.put("tcp@10.0.0.2:8972", "");
        MemoryRegistryProvider.NODES.put("Arith", arith);
        var echo = new ConcurrentSkipListMap<String, String>();
        echo.put("tcp@10.0.0.1:8972", "state=inactive");
        MemoryRegistryProvider.NODES.put("Echo", echo);
    }

    @Test
    void listsServicesNodesAndMetadata() {
        Cli.Run r = Cli.rpcx("list", "-r", "mem://test");
        assertEquals(0, r.code(), r.err());
        assertEquals("Arith\n  tcp@10.0.0.1:8972  weight=1&group=a%20b\n  tcp@10.0.0.2:8972\nEcho\n"
                + "  tcp@10.0.0.1:8972  state=inactive\n", r.out());
        Cli.Run one = Cli.rpcx("list", "-r", "mem://test", "Echo");
        assertEquals("Echo\n  tcp@10.0.0.1:8972  state=inactive\n", one.out());
        assertEquals(2, Cli.rpcx("list").code(), "--registry is required");
        Cli.Run unknown = Cli.rpcx("list", "-r", "nosuch://x/y");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("nosuch"), unknown.err());
    }

    @Test
    void marksInactiveAndActiveAndSetsWeightKeepingTheOtherKeys() {
        Cli.Run off = Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.1:8972", "--inactive");
        assertEquals(0, off.code(), off.err());
        assertEquals("weight=1&group=a%20b&state=inactive", MemoryRegistryProvider.NODES.get("Arith").get("tcp@10.0.0.1:8972"));
        assertTrue(off.out().contains("weight=1&group=a%20b&state=inactive"), off.out());
        Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.1:8972", "--weight", "5", "--set", "zone=eu 1");
        assertEquals("weight=5&group=a%20b&state=inactive&zone=eu+1",
                MemoryRegistryProvider.NODES.get("Arith").get("tcp@10.0.0.1:8972"));
        Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.1:8972", "--active");
        assertEquals("weight=5&group=a%20b&zone=eu+1", MemoryRegistryProvider.NODES.get("Arith").get("tcp@10.0.0.1:8972"));
        Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.2:8972", "--inactive");
        assertEquals("state=inactive", MemoryRegistryProvider.NODES.get("Arith").get("tcp@10.0.0.2:8972"));
    }

    @Test
    void saysWhatIsWrong() {
        Cli.Run missing = Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.9.9.9:1", "--inactive");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no node tcp@10.9.9.9:1 of service Arith"), missing.err());
        assertEquals(2, Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.1:8972").code(), "a change is required");
        assertEquals(2, Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.1:8972", "--inactive", "--active").code());
        assertEquals(2, Cli.rpcx("state", "-r", "mem://test", "Arith", "tcp@10.0.0.1:8972", "--set", "novalue").code());
    }

    @Test
    void metadataKeysAreSetInPlaceOrAppended() {
        assertEquals("a=1&b=2", RegistryCommands.withKey("a=1", "b", "2"));
        assertEquals("a=3&b=2", RegistryCommands.withKey("a=1&b=2", "a", "3"));
        assertEquals("b=2", RegistryCommands.withKey("a=1&b=2", "a", null));
        assertEquals("x=y", RegistryCommands.withKey("", "x", "y"));
        assertEquals("", RegistryCommands.withKey("state=inactive", "state", null));
    }
}
