package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientOptions;
import rpcx.api.Server;
import rpcx.api.ServiceException;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.examples.member.model.User;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/** Payload rules of Go rpcx that only show with a real codec: zero replies, empty payloads, nil args. */
class GoSemanticsTest {
    private static Server server;
    private static Client client;

    @BeforeAll
    static void start() {
        server = Server.create();
        server.register("Arith", new Arith());
        server.registerFunction("Fn", "Fail", Args.class, (ctx, a) -> {
            throw new ServiceException("function failed");
        });
        server.addHandler("Handler", "Nothing", hc -> {
            // writes no reply: the server answers with an empty payload
        });
        server.register("Users", new Object() {
            @SuppressWarnings("unused")
            public Reply echo(Args args) {
                return new Reply(new User(args.uid(), 0, 0, "", ""));
            }
        });
        client = Client.connect(server.listen("tcp", "127.0.0.1:0"), ClientOptions.defaults());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static Message raw(String path, String method, byte[] payload) {
        return client.sendRaw(Message.request(0, path, method, SerializeType.MSGPACK, Map.of(), payload)).join();
    }

    @Test
    void aMethodErrorCarriesTheZeroReplyButAFunctionErrorCarriesNone() {
        Message method = raw("Arith", "Div", new byte[] {(byte) 0x82, (byte) 0xa1, 'A', 1, (byte) 0xa1, 'B', 0});
        assertTrue(method.isError());
        assertEquals("81a14300", Frames.hex(method.payload()), "Go encodes the zero reply {C:0}");
        Message function = raw("Fn", "Fail", new byte[] {(byte) 0x81, (byte) 0xa3, 'U', 'i', 'd', 1});
        assertTrue(function.isError());
        assertEquals("function failed", function.errorMessage());
        assertEquals(0, function.payloadLength(), "Go's handleRequestForFunction sends no payload with an error");
    }

    @Test
    void anEmptySuccessPayloadGivesTheZeroReply() {
        Reply r = client.call("Handler", "Nothing", new Args(1), Reply.class, CallOptions.timeout(Duration.ofSeconds(5)));
        assertEquals(new Reply(new User(0, 0, 0, "", "")), r);
    }

    @Test
    void nilArgsAreDecodedIntoAZeroValue() {
        Message res = raw("Users", "Echo", new byte[] {(byte) 0xc0});
        assertTrue(!res.isError(), String.valueOf(res.errorMessage()));
        Reply r = client.call("Users", "Echo", new Args(3), Reply.class);
        assertEquals(3, r.user().uid());
    }

    @Test
    void aPayloadThatDoesNotDecodeGetsAnErrorReplyAndTheConnectionStays() {
        Message res = raw("Users", "Echo", new byte[] {(byte) 0x81, (byte) 0xa3, 'U', 'i', 'd', (byte) 0xa2, 'n', 'o'});
        assertTrue(res.isError());
        assertTrue(res.errorMessage().contains("msgpack"), res.errorMessage());
        assertEquals(0, res.payloadLength());
        ServiceException e = assertThrows(ServiceException.class,
                () -> client.call("Users", "Echo", Map.of("Uid", "text"), Reply.class));
        assertTrue(e.getMessage().contains("Uid"), e.getMessage());
        assertEquals(7, client.call("Users", "Echo", new Args(7), Reply.class).user().uid());
    }
}
