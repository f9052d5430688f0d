package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rpcx.api.protocol.SerializeType;

/**
 * Go's registration variants and precedence: a methods whitelist ({@code RegisterWithMethods}), handlers replaced
 * while serving ({@code UpdateHandler}), handlers before services, methods before functions.
 */
class RegistrationTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);

    /** A service with three suitable methods and one that is not. */
    public static final class Words {
        public byte[] upper(byte[] in) {
            return new String(in, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        }

        public byte[] lower(byte[] in) {
            return new String(in, StandardCharsets.UTF_8).toLowerCase().getBytes(StandardCharsets.UTF_8);
        }

        public byte[] same(byte[] in) {
            return in;
        }

        public void helper(int a, int b, int c) {
            // three parameters: not an RPC method
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWhitelistExposesOnlyTheListedMethods() {
        try (Server server = Server.create()) {
            server.registerWithMethods(new Words(), List.of("Upper", "Same"), "group=a");
            assertEquals(List.of("Same", "Upper"), server.methods("Words"));
            assertEquals(Map.of("Words", "group=a"), server.services());
            try (Client c = Client.connect(server.listen("memu", ""), RAW)) {
                assertArrayEquals(b("HI"), c.call("Words", "Upper", b("hi"), byte[].class));
                ServiceException notListed = assertThrows(ServiceException.class, () -> c.call("Words", "Lower", b("HI"), byte[].class));
                assertEquals("rpcx: can't find method Lower", notListed.getMessage());
            }
        }
    }

    @Test
    void aWhitelistMustNameSuitableMethodsOfTheService() {
        try (Server server = Server.create()) {
            RpcConfigurationException empty = assertThrows(RpcConfigurationException.class,
                    () -> server.registerWithMethods("W", new Words(), List.of(), ""));
            assertTrue(empty.getMessage().contains("empty methods whitelist"), empty.getMessage());
            RpcConfigurationException missing = assertThrows(RpcConfigurationException.class,
                    () -> server.registerWithMethods("W", new Words(), List.of("Upper", "Shout"), ""));
            assertTrue(missing.getMessage().contains("'Shout' not found"), missing.getMessage());
            RpcConfigurationException unsuitable = assertThrows(RpcConfigurationException.class,
                    () -> server.registerWithMethods("W", new Words(), List.of("Helper"), ""));
            assertTrue(unsuitable.getMessage().contains("'Helper'") && unsuitable.getMessage().contains("not a suitable RPC method"),
                    unsuitable.getMessage());
            assertEquals(Map.of(), server.services(), "nothing registered by a refused whitelist");
        }
    }

    @Test
    void handlersAreReplacedAndAddedWhileServing() {
        try (Server server = Server.create()) {
            server.addHandler("Router", "Version", hc -> hc.write(b("v1")));
            try (Client c = Client.connect(server.listen("memu", ""), RAW)) {
                assertArrayEquals(b("v1"), c.call("Router", "Version", b(""), byte[].class));
                server.updateHandlers(Map.of("Router.Version", hc -> hc.write(b("v2")), "Router.Health", hc -> hc.write(b("ok"))));
                assertArrayEquals(b("v2"), c.call("Router", "Version", b(""), byte[].class));
                assertArrayEquals(b("ok"), c.call("Router", "Health", b(""), byte[].class));
            }
            assertThrows(RpcConfigurationException.class, () -> server.updateHandlers(Map.of("NoDot", hc -> hc.write(b("")))));
            assertThrows(RpcConfigurationException.class, () -> server.addHandler("Router", "Version", hc -> hc.write(b("v3"))),
                    "addHandler still refuses a taken route; updateHandlers replaces");
        }
    }

    @Test
    void handlersComeBeforeServicesAndMethodsBeforeFunctions() {
        try (Server server = Server.create()) {
            server.register(new Words());
            server.registerFunction("Words", "Upper", byte[].class, (ctx, in) -> b("function"));
            server.registerFunction("Words", "Reverse", byte[].class, (ctx, in) -> b("function"));
            server.addHandler("Words", "Same", hc -> hc.write(b("handler")));
            try (Client c = Client.connect(server.listen("memu", ""), RAW)) {
                assertArrayEquals(b("handler"), c.call("Words", "Same", b("x"), byte[].class), "the handler wins over the method");
                assertArrayEquals(b("X"), c.call("Words", "Upper", b("x"), byte[].class), "the method wins over the function");
                assertArrayEquals(b("function"), c.call("Words", "Reverse", b("x"), byte[].class), "a function where no method is");
            }
        }
    }
}
