package rpcx.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a record component or field appears to a Go peer. Without it, the wire name is the Java name with its
 * first letter capitalised (Go exports capitalised names: {@code uid} becomes {@code Uid}).
 *
 * <pre>{@code
 * record User(@GoField(value = "UID", json = "id") long uid,
 *             @GoField(json = "addtime") long addTime,
 *             @GoField(json = "utype", type = GoType.INT32) int userType, ...) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface GoField {
    /** The Go field name (the msgpack map key, and the JSON key when {@link #json()} is empty). */
    String value() default "";

    /** The Go {@code json:"..."} tag name used by the JSON codec. */
    String json() default "";

    /** The Go type that fixes the integer encoding on the wire. */
    GoType type() default GoType.AUTO;

    /** A Go embedded (anonymous) struct: its fields are inlined into the enclosing map. */
    boolean embedded() default false;
}
