package rpcx.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Assertions;

import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;

/**
 * A {@link ConnectionHandler} for tests: it records every event in order, optionally answers each message, and
 * offers waiting accessors that fail the test (rather than hang) when an event does not come in time. One
 * instance may serve many connections; each event names its connection.
 */
public class RecordingHandler implements ConnectionHandler {
    /** What happened. */
    public enum Kind {
        /** {@link ConnectionHandler#onOpen}. */
        OPEN,
        /** {@link ConnectionHandler#onMessage}. */
        MESSAGE,
        /** {@link ConnectionHandler#onError}. */
        ERROR,
        /** {@link ConnectionHandler#onClose}. */
        CLOSE
    }

    /**
     * One recorded event.
     *
     * @param kind       what happened
     * @param connection on which connection
     * @param message    the message, for {@link Kind#MESSAGE}; null otherwise
     * @param error      the error, for {@link Kind#ERROR}; null otherwise
     * @param thread     the name of the thread the transport called the handler on
     */
    public record Event(Kind kind, Connection connection, Message message, Throwable error, String thread) {
    }

    private final Function<Message, Message> responder;
    private final List<Event> events = new ArrayList<>();
    private final BlockingQueue<Connection> opens = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> closes = new LinkedBlockingQueue<>();

    /** A handler that records and never answers. */
    public RecordingHandler() {
        this(null);
    }

    /**
     * A handler that records and answers each message with what {@code responder} returns (nothing when it
     * returns null).
     *
     * @param responder maps a received message to the reply; may be null
     */
    public RecordingHandler(Function<Message, Message> responder) {
        this.responder = responder;
    }

    /**
     * A handler that answers every request the way an rpcx echo service would: a heartbeat comes back verbatim
     * with the response bit set (as Go does), a oneway request gets nothing, and any other request gets
     * {@code request.toResponse()} with the request's metadata and payload. Responses are not answered.
     *
     * @return the echoing handler
     */
    public static RecordingHandler echo() {
        return new RecordingHandler(RecordingHandler::echoOf);
    }

    /**
     * The echo reply to a message, as {@link #echo()} sends it.
     *
     * @param m a received message
     * @return the reply, or null when none is due
     */
    public static Message echoOf(Message m) {
        if (m.isResponse()) {
            return null;
        }
        if (m.isHeartbeat()) {
            return m.withResponse(true);
        }
        if (m.isOneway()) {
            return null;
        }
        return m.toResponse().withMetadata(m.metadata()).withPayload(m.payload());
    }

    private void record(Event e) {
        synchronized (events) {
            events.add(e);
        }
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }

    /** Records the open. */
    @Override
    public void onOpen(Connection connection) {
        record(new Event(Kind.OPEN, connection, null, null, thread()));
        opens.add(connection);
    }

    /**
     * The service path of the greeting {@link TransportConformance} sends first on transports whose server learns
     * of a connection with its first frame; such a frame (a heartbeat) is neither recorded nor answered.
     */
    public static final String HELLO_PATH = "__rpcx_conformance_hello__";

    /** Records the message and sends the responder's reply, if any (a conformance greeting is skipped). */
    @Override
    public void onMessage(Connection connection, Message message) {
        if (message.isHeartbeat() && HELLO_PATH.equals(message.servicePath())) {
            return;
        }
        record(new Event(Kind.MESSAGE, connection, message, null, thread()));
        messages.add(message);
        if (responder != null) {
            Message reply = responder.apply(message);
            if (reply != null) {
                connection.send(reply);
            }
        }
    }

    /** Records the error. */
    @Override
    public void onError(Connection connection, Throwable error) {
        record(new Event(Kind.ERROR, connection, null, error, thread()));
        errors.add(error);
    }

    /** Records the close. */
    @Override
    public void onClose(Connection connection) {
        record(new Event(Kind.CLOSE, connection, null, null, thread()));
        closes.add(connection);
    }

    /**
     * A snapshot of all events so far, in the order they happened.
     *
     * @return the events
     */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * The events of one connection, in order.
     *
     * @param connection the connection
     * @return its events
     */
    public List<Event> events(Connection connection) {
        return events().stream().filter(e -> e.connection() == connection).toList();
    }

    /**
     * The kinds of one connection's events, in order.
     *
     * @param connection the connection
     * @return e.g. {@code [OPEN, MESSAGE, ERROR, CLOSE]}
     */
    public List<Kind> kinds(Connection connection) {
        return events(connection).stream().map(Event::kind).toList();
    }

    /**
     * The number of events of a kind so far.
     *
     * @param kind the kind
     * @return how many
     */
    public long count(Kind kind) {
        return events().stream().filter(e -> e.kind() == kind).count();
    }

    /**
     * Waits for the next opened connection.
     *
     * @param timeout how long to wait
     * @return the connection
     */
    public Connection nextOpen(Duration timeout) {
        return take(opens, timeout, "an opened connection");
    }

    /**
     * Waits for the next received message.
     *
     * @param timeout how long to wait
     * @return the message
     */
    public Message nextMessage(Duration timeout) {
        return take(messages, timeout, "a message");
    }

    /**
     * Waits for the next reported error.
     *
     * @param timeout how long to wait
     * @return the error
     */
    public Throwable nextError(Duration timeout) {
        return take(errors, timeout, "an error");
    }

    /**
     * Waits for the next closed connection.
     *
     * @param timeout how long to wait
     * @return the connection
     */
    public Connection nextClose(Duration timeout) {
        return take(closes, timeout, "a closed connection");
    }

    /**
     * Asserts that no message arrives within the given time.
     *
     * @param wait how long to watch
     */
    public void assertNoMessage(Duration wait) {
        Message m = poll(messages, wait);
        if (m != null) {
            Assertions.fail("expected no message but got " + m);
        }
    }

    private static <T> T take(BlockingQueue<T> queue, Duration timeout, String what) {
        T t = poll(queue, timeout);
        if (t == null) {
            Assertions.fail("no " + what + " within " + timeout);
        }
        return t;
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
