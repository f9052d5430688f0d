package rpcx.api.internal;

import java.util.ArrayList;
import java.util.List;

/** Lists of option objects that hold at most one object per class (transport-specific options). */
public final class OptionLists {
    private OptionLists() {
    }

    /**
     * A new list: {@code options} without any element of {@code option}'s class, then {@code option}.
     *
     * @param options the current options
     * @param option  the option to set
     * @return the new list
     */
    public static List<Object> replacing(List<Object> options, Object option) {
        List<Object> all = new ArrayList<>();
        for (Object o : options) {
            if (o.getClass() != option.getClass()) {
                all.add(o);
            }
        }
        all.add(option);
        return all;
    }
}
