package rpcx.api.spi;

import java.lang.reflect.Type;

/** PLACEHOLDER, replaced by the codec work: the Go view of Java records and POJOs. */
public final class StructModel {
    private StructModel() {
    }

    /** The Go zero value of a type. */
    public static Object zeroValue(Type type) {
        return null;
    }
}
