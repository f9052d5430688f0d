package rpcx.api;

/**
 * The Go type of a number field, which decides its msgpack encoding. {@link #AUTO}: Java {@code long} is Go
 * {@code int64} (fixed {@code d3}+8 bytes), {@code int}, {@code short} and {@code byte} are Go {@code int}
 * (compact), {@code float} is {@code float32}, {@code double} is {@code float64}.
 */
public enum GoType {
    /** Decide from the Java type (see the class description). */
    AUTO,
    /** Go {@code int}: the most compact msgpack integer form. */
    INT,
    /** Go {@code int8}: {@code d0}+1 byte. */
    INT8,
    /** Go {@code int16}: {@code d1}+2 bytes. */
    INT16,
    /** Go {@code int32}: {@code d2}+4 bytes. */
    INT32,
    /** Go {@code int64}: {@code d3}+8 bytes. */
    INT64,
    /** Go {@code uint}: compact unsigned form. */
    UINT,
    /** Go {@code uint8}: {@code cc}+1 byte. */
    UINT8,
    /** Go {@code uint16}: {@code cd}+2 bytes. */
    UINT16,
    /** Go {@code uint32}: {@code ce}+4 bytes. */
    UINT32,
    /** Go {@code uint64}: {@code cf}+8 bytes. */
    UINT64,
    /** Go {@code float32}. */
    FLOAT32,
    /** Go {@code float64}. */
    FLOAT64
}
