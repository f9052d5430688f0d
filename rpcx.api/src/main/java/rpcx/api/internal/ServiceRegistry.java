package rpcx.api.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import rpcx.api.Handler;
import rpcx.api.RpcConfigurationException;
import rpcx.api.RpcMethod;

/**
 * The services, functions and router handlers a server exposes. Lookups follow Go's order: handlers first
 * (keyed {@code path.method}), then service methods, then functions registered under the service path.
 */
public final class ServiceRegistry {
    private static final System.Logger LOG = System.getLogger("rpcx.server");

    /** Replaced as a whole (copy on write), so a batch update is seen all at once, as Go's router swap. */
    private volatile Map<String, Handler> handlers = Map.of();
    private final Map<String, Map<String, ServiceMethod>> methods = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ServiceMethod>> functions = new ConcurrentHashMap<>();
    private final Map<String, String> metadata = new ConcurrentHashMap<>();

    /** The result of a lookup. */
    public sealed interface Target permits HandlerTarget, MethodTarget, NoService, NoMethod {
    }

    /** A router-style handler. */
    public record HandlerTarget(Handler handler) implements Target {
    }

    /** A service method or function. */
    public record MethodTarget(ServiceMethod method) implements Target {
    }

    /** No such service: Go's {@code rpcx: can't find service X}. */
    public record NoService(String message) implements Target {
    }

    /** No such method: Go's {@code rpcx: can't find method Y}. */
    public record NoMethod(String message) implements Target {
    }

    /** Capitalises the first letter, as Go exports names. */
    public static String exportedName(String javaName) {
        if (javaName.isEmpty() || Character.isUpperCase(javaName.charAt(0))) {
            return javaName;
        }
        return Character.toUpperCase(javaName.charAt(0)) + javaName.substring(1);
    }

    /** Registers every suitable public method of a service object under a name. */
    public void register(String name, Object service, String meta) {
        register(name, service, null, meta);
    }

    /**
     * Registers the suitable public methods of a service object under a name: all of them, or only those whose
     * exposed names {@code only} lists (Go's {@code RegisterNameWithMethods}).
     */
    public synchronized void register(String name, Object service, Collection<String> only, String meta) {
        requireName(name, "service name");
        if (methods.containsKey(name)) {
            throw new RpcConfigurationException("service '" + name + "' is already registered");
        }
        Class<?> type = service.getClass();
        Map<String, ServiceMethod> found = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            String why = ServiceMethod.unsuitability(m);
            if (why != null) {
                if (m.getDeclaringClass() != Object.class) {
                    skipped.put(m.getName(), why);
                }
                continue;
            }
            RpcMethod ann = m.getAnnotation(RpcMethod.class);
            String exposed = ann != null ? ann.value() : exportedName(m.getName());
            requireName(exposed, "method name");
            if (found.containsKey(exposed)) {
                throw new RpcConfigurationException("service '" + name + "' (" + type.getName() + ") has two methods exposed as '"
                        + exposed + "': rename one or give it @RpcMethod(\"OtherName\")");
            }
            makeCallable(m, type);
            found.put(exposed, ServiceMethod.of(exposed, service, m));
        }
        skipped.forEach((m, why) -> LOG.log(System.Logger.Level.DEBUG,
                () -> "rpcx: " + type.getName() + "." + m + " is not exposed: " + why));
        if (only != null) {
            found = whitelisted(name, type, found, skipped, only);
        }
        if (found.isEmpty()) {
            throw new RpcConfigurationException("service '" + name + "' (" + type.getName() + ") has no public methods of suitable type: "
                    + "a service method is public, takes (args) or (CallContext, args) and returns a reply or a CompletionStage of it"
                    + (skipped.isEmpty() ? "" : "; skipped: " + skipped));
        }
        methods.put(name, Map.copyOf(found));
        metadata.put(name, meta == null ? "" : meta);
    }

    private static Map<String, ServiceMethod> whitelisted(String name, Class<?> type, Map<String, ServiceMethod> found,
                                                          Map<String, String> skipped, Collection<String> only) {
        if (only.isEmpty()) {
            throw new RpcConfigurationException("service '" + name + "': empty methods whitelist; register it without one"
                    + " to expose every method");
        }
        Map<String, ServiceMethod> picked = new LinkedHashMap<>();
        for (String m : only) {
            ServiceMethod sm = found.get(m);
            if (sm != null) {
                picked.put(m, sm);
                continue;
            }
            boolean exists = skipped.keySet().stream().anyMatch(j -> j.equals(m) || exportedName(j).equals(m));
            throw new RpcConfigurationException(exists
                    ? "service '" + name + "': method '" + m + "' of " + type.getName() + " is not a suitable RPC method: "
                            + skipped.entrySet().stream().filter(e -> e.getKey().equals(m) || exportedName(e.getKey()).equals(m))
                                    .findFirst().map(Map.Entry::getValue).orElse("")
                    : "service '" + name + "': method '" + m + "' not found on " + type.getName() + " (exposed: " + found.keySet() + ")");
        }
        return picked;
    }

    private static void makeCallable(Method m, Class<?> type) {
        if (Modifier.isPublic(type.getModifiers()) && Modifier.isPublic(m.getDeclaringClass().getModifiers())
                && type.getModule().isExported(type.getPackageName(), ServiceRegistry.class.getModule())) {
            return;
        }
        if (!m.trySetAccessible()) {
            throw new RpcConfigurationException("cannot call " + type.getName() + "." + m.getName()
                    + ": make the class public and export (or open) package " + type.getPackageName()
                    + " of module " + type.getModule().getName() + " to module rpcx.api");
        }
    }

    /** Registers a function under a service path and name. */
    public synchronized void registerFunction(String servicePath, ServiceMethod fn, String meta) {
        requireName(servicePath, "service path");
        requireName(fn.name(), "function name");
        Map<String, ServiceMethod> fns = functions.computeIfAbsent(servicePath, k -> new ConcurrentHashMap<>());
        if (fns.putIfAbsent(fn.name(), fn) != null) {
            throw new RpcConfigurationException("function '" + servicePath + "." + fn.name() + "' is already registered");
        }
        metadata.putIfAbsent(servicePath, meta == null ? "" : meta);
    }

    /** Adds a router-style handler; it takes precedence over services. */
    public void addHandler(String servicePath, String serviceMethod, Handler handler) {
        requireName(servicePath, "service path");
        requireName(serviceMethod, "method name");
        synchronized (this) {
            String key = servicePath + "." + serviceMethod;
            if (handlers.containsKey(key)) {
                throw new RpcConfigurationException("a handler for '" + key + "' is already registered");
            }
            Map<String, Handler> next = new HashMap<>(handlers);
            next.put(key, handler);
            handlers = Map.copyOf(next);
        }
    }

    /**
     * Adds or replaces handlers in one step (Go's {@code UpdateHandler}, for hot updates): keys are
     * {@code "ServicePath.ServiceMethod"}; a request sees either the old handlers or all the new ones.
     */
    public void updateHandlers(Map<String, Handler> update) {
        for (Map.Entry<String, Handler> e : update.entrySet()) {
            int dot = e.getKey() == null ? -1 : e.getKey().lastIndexOf('.');
            if (dot <= 0 || dot == e.getKey().length() - 1) {
                throw new RpcConfigurationException("handler key '" + e.getKey() + "' is not ServicePath.ServiceMethod");
            }
            Objects.requireNonNull(e.getValue(), () -> "handler for " + e.getKey());
        }
        synchronized (this) {
            Map<String, Handler> next = new HashMap<>(handlers);
            next.putAll(update);
            handlers = Map.copyOf(next);
        }
    }

    /** Finds what serves a path and method. */
    public Target lookup(String servicePath, String serviceMethod) {
        Map<String, Handler> routes = handlers;
        if (!routes.isEmpty()) {
            Handler h = routes.get(servicePath + "." + serviceMethod);
            if (h != null) {
                return new HandlerTarget(h);
            }
        }
        Map<String, ServiceMethod> svc = methods.get(servicePath);
        Map<String, ServiceMethod> fns = functions.get(servicePath);
        if (svc == null && fns == null) {
            return new NoService("rpcx: can't find service " + servicePath);
        }
        ServiceMethod m = svc == null ? null : svc.get(serviceMethod);
        if (m == null && fns != null) {
            m = fns.get(serviceMethod);
        }
        return m == null ? new NoMethod("rpcx: can't find method " + serviceMethod) : m.asTarget();
    }

    /** Registered service names with their registry metadata. */
    public Map<String, String> services() {
        return Map.copyOf(metadata);
    }

    /** The exposed method names of a service (methods and functions). */
    public List<String> methodNames(String servicePath) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        names.addAll(methods.getOrDefault(servicePath, Map.of()).keySet());
        names.addAll(functions.getOrDefault(servicePath, Map.of()).keySet());
        return List.copyOf(names);
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new RpcConfigurationException(what + " must not be empty");
        }
    }
}
