package rpcx.plugins.opentelemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import rpcx.api.CallContext;

/**
 * Request metadata as the propagators' carrier, and the server spans of calls being served, so that a call made
 * from inside a service method (on the thread rpcx runs it on) continues the trace that reached the server.
 */
final class Carriers {
    static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };

    /** The context (with the server span) of each call being served. */
    static final Map<CallContext, Context> SERVING = new ConcurrentHashMap<>();

    private Carriers() {
    }

    /** The context a new client span starts from: the current one, or that of the call this thread serves. */
    static Context parent() {
        Context current = Context.current();
        if (io.opentelemetry.api.trace.Span.fromContext(current).getSpanContext().isValid()) {
            return current;
        }
        CallContext serving = CallContext.current();
        Context server = serving == null ? null : SERVING.get(serving);
        return server != null ? server : current;
    }
}
