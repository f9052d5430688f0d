package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;
import rpcx.api.ClientOptions;
import rpcx.api.spi.Listener;
import rpcx.api.spi.TcpKeepAlive;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportProvider;
import rpcx.testkit.RecordingHandler;

/** The TCP keep-alive periods on real sockets: Go's 1 minute (dialled) and 3 minutes (accepted), or the option's. */
class TcpKeepAliveTest {
    static List<TransportProvider> providers() {
        return TcpTests.providers();
    }

    private static int keepIdle(NettyConnection c) {
        ChannelOption<Integer> option = c.kind().equals("epoll") ? EpollChannelOption.TCP_KEEPIDLE
                : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE);
        return c.channel().config().getOption(option);
    }

    private static int keepInterval(NettyConnection c) {
        ChannelOption<Integer> option = c.kind().equals("epoll") ? EpollChannelOption.TCP_KEEPINTVL
                : NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL);
        return c.channel().config().getOption(option);
    }

    private static int[] dial(TransportProvider p, TcpKeepAlive option) throws Exception {
        Transport server = p.create(TcpTests.server(Duration.ofSeconds(30)));
        Transport client = p.create(option == null ? TcpTests.client() : TcpTests.client().withOption(option));
        try {
            RecordingHandler accepted = RecordingHandler.echo();
            Listener l = server.listen("tcp", "127.0.0.1:0", accepted).join();
            InetSocketAddress a = (InetSocketAddress) l.localAddress();
            NettyConnection c = (NettyConnection) client.connect("tcp", "127.0.0.1:" + a.getPort(), new RecordingHandler()).join();
            NettyConnection s = (NettyConnection) accepted.nextOpen(TcpTests.TIMEOUT);
            return new int[] {keepIdle(c), keepInterval(c), keepIdle(s), keepInterval(s)};
        } finally {
            client.close();
            server.close();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void gosPeriodsByDefaultAndTheOptionsWhenGiven(TransportProvider p) throws Exception {
        int[] go = dial(p, null);
        assertEquals(60, go[0], "dialled: Go's Option.TCPKeepAlivePeriod default");
        assertEquals(60, go[1]);
        assertEquals(180, go[2], "accepted: Go's server listener");
        assertEquals(180, go[3]);

        int[] given = dial(p, new TcpKeepAlive(Duration.ofSeconds(17)));
        assertEquals(17, given[0]);
        assertEquals(17, given[1]);
        assertEquals(180, given[2], "a client option does not change the server");

        int systemIdle;
        try (Socket plain = new Socket()) { // what a socket nobody configured has
            systemIdle = plain.getOption(ExtendedSocketOptions.TCP_KEEPIDLE);
        }
        int[] system = dial(p, new TcpKeepAlive(Duration.ZERO));
        assertEquals(systemIdle, system[0], "zero: the system's value");
    }

    @org.junit.jupiter.api.Test
    void clientOptionsCarryThePeriodToTheTransport() {
        ClientOptions o = ClientOptions.defaults().withTcpKeepAlivePeriod(Duration.ofSeconds(45));
        assertTrue(o.transportOptions().contains(new TcpKeepAlive(Duration.ofSeconds(45))), o.transportOptions().toString());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> ClientOptions.defaults().withTcpKeepAlivePeriod(Duration.ofMillis(500)));
        assertTrue(tooShort.getMessage().contains("one second"), tooShort.getMessage());
    }
}
