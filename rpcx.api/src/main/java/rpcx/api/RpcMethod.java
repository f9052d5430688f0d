package rpcx.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the name a service method is exposed under (by default the Java name capitalised, as Go exports
 * it: {@code userInfo} becomes {@code UserInfo}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {
    /** The exposed method name. */
    String value();
}
