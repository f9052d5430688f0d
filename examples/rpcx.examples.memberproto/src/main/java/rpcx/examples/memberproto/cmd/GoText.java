package rpcx.examples.memberproto.cmd;

import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TextFormat;

/**
 * A message as Go's protobuf {@code String()} printed it in the tutorial (compact text format):
 * {@code UID:999 AddTime:14990093 UserType:2 Uface:"http://image.xxxx.xxx/t.gif" UserName:"Joke"}.
 * Java's {@code TextFormat.shortDebugString} puts a space after each colon; the tutorial's output has none.
 */
public final class GoText {
    private GoText() {
    }

    /** The compact text of a message: set fields in field-number order, {@code name:value}, space-separated. */
    public static String compact(MessageOrBuilder message) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            List<?> values = e.getKey().isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (Object v : values) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(e.getKey().getName()).append(':').append(value(v));
            }
        }
        return sb.toString();
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return '"' + TextFormat.escapeBytes(ByteString.copyFromUtf8(s)) + '"';
        }
        if (v instanceof ByteString b) {
            return '"' + TextFormat.escapeBytes(b) + '"';
        }
        if (v instanceof MessageOrBuilder m) {
            return "<" + compact(m) + ">";
        }
        return String.valueOf(v);
    }
}
