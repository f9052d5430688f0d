package rpcx.api.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
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
    public synchronized void register(String name, Object service, String meta) {
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
        if (found.isEmpty()) {
            throw new RpcConfigurationException("service '" + name + "' (" + type.getName() + ") has no public methods of suitable type: "
                    + "a service method is public, takes (args) or (CallContext, args) and returns a reply or a CompletionStage of it"
                    + (skipped.isEmpty() ? "" : "; skipped: " + skipped));
        }
        methods.put(name, Map.copyOf(found));
        metadata.put(name, meta == null ? "" : meta);
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
        if (handlers.putIfAbsent(servicePath + "." + serviceMethod, handler) != null) {
            throw new RpcConfigurationException("a handler for '" + servicePath + "." + serviceMethod + "' is already registered");
        }
    }

    /** Finds what serves a path and method. */
    public Target lookup(String servicePath, String serviceMethod) {
        if (!handlers.isEmpty()) {
            Handler h = handlers.get(servicePath + "." + serviceMethod);
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
