package rpcx.api;

import java.lang.reflect.Type;

import rpcx.api.internal.ServiceMethod;

/** Bridges the public registration API to the internal method model. */
final class ServiceMethodFactory {
    private ServiceMethodFactory() {
    }

    static <A, R> ServiceMethod function(String name, Class<A> argsType, Type replyType, ServiceFunction<A, R> fn) {
        return ServiceMethod.function(name, argsType, replyType, fn);
    }
}
