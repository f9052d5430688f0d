package rpcx.api.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;

import rpcx.api.CallContext;
import rpcx.api.ServiceFunction;

/**
 * One callable of a service: a reflected method or a registered function, with its args and reply types
 * (the reply type unwrapped from {@code CompletionStage}).
 */
public final class ServiceMethod {
    private final String name;
    private final Type argsType;
    private final Type replyType;
    private final Invoker invoker;
    private final ServiceRegistry.MethodTarget target = new ServiceRegistry.MethodTarget(this);

    @FunctionalInterface
    interface Invoker {
        Object invoke(CallContext ctx, Object args) throws Exception;
    }

    /** This method as a registry lookup result (one instance, so a lookup allocates nothing). */
    ServiceRegistry.MethodTarget asTarget() {
        return target;
    }

    private ServiceMethod(String name, Type argsType, Type replyType, Invoker invoker) {
        this.name = name;
        this.argsType = argsType;
        this.replyType = replyType;
        this.invoker = invoker;
    }

    /** The exposed name. */
    public String name() {
        return name;
    }

    /** The declared args type. */
    public Type argsType() {
        return argsType;
    }

    /** The reply type (inside {@code CompletionStage} for async methods). */
    public Type replyType() {
        return replyType;
    }

    /** Calls the method; the result may be a {@code CompletionStage}. Exceptions thrown by the method surface as-is. */
    public Object invoke(CallContext ctx, Object args) throws Exception {
        return invoker.invoke(ctx, args);
    }

    /** Why a method is not a service method, or null when it is one. */
    static String unsuitability(Method m) {
        if (m.getDeclaringClass() == Object.class) {
            return "declared by Object";
        }
        if (m.isBridge() || m.isSynthetic()) {
            return "synthetic";
        }
        if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
            return "static";
        }
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return "it overrides Object." + m.getName();
        } catch (NoSuchMethodException notObjects) {
            // a method of the service's own
        }
        Class<?>[] p = m.getParameterTypes();
        int contexts = 0;
        for (Class<?> c : p) {
            if (c == CallContext.class) {
                contexts++;
            }
        }
        boolean shapeOk = (p.length == 1 && contexts == 0) || (p.length == 2 && contexts == 1);
        if (!shapeOk) {
            return "it must take (args) or (CallContext, args)";
        }
        if (m.getReturnType() == void.class || m.getReturnType() == Void.class) {
            return "it returns nothing; a service method returns its reply (or a CompletionStage of it)";
        }
        return null;
    }

    /** Wraps a suitable method of a service object. */
    static ServiceMethod of(String name, Object target, Method m) {
        Class<?>[] p = m.getParameterTypes();
        Type[] g = m.getGenericParameterTypes();
        int ctxIndex = -1;
        int argsIndex = 0;
        if (p.length == 2) {
            ctxIndex = p[0] == CallContext.class ? 0 : 1;
            argsIndex = 1 - ctxIndex;
        }
        Type argsType = g[argsIndex];
        Type reply = replyTypeOf(m.getGenericReturnType());
        final int ci = ctxIndex;
        final int ai = argsIndex;
        final int n = p.length;
        Invoker inv = (ctx, args) -> {
            Object[] a = new Object[n];
            a[ai] = args;
            if (ci >= 0) {
                a[ci] = ctx;
            }
            try {
                return m.invoke(target, a);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        };
        return new ServiceMethod(name, argsType, reply, inv);
    }

    /** Wraps a function with its args type (its error replies carry no payload, as in Go). */
    public static <A, R> ServiceMethod function(String name, Class<A> argsType, ServiceFunction<A, R> fn) {
        return new ServiceMethod(name, argsType, Object.class, (ctx, args) -> fn.apply(ctx, argsType.cast(args)));
    }

    private static Type replyTypeOf(Type returnType) {
        if (returnType instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw
                && CompletionStage.class.isAssignableFrom(raw)) {
            return pt.getActualTypeArguments()[0];
        }
        if (returnType instanceof Class<?> c && CompletionStage.class.isAssignableFrom(c)) {
            return Object.class;
        }
        return returnType;
    }
}
