package rpcx.api.spi;

import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Queue;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Declared-type helpers for codec authors: type arguments, array components, readable type names, and the
 * collection or map to fill when decoding into a declared type.
 */
public final class StructTypes {
    private StructTypes() {
    }

    /** The i-th type argument of a parameterized type, or Object when the type is raw. */
    public static Type argument(Type type, int i) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    /** The element type of an array type (a Class or a GenericArrayType). */
    public static Type component(Type type, Class<?> raw) {
        if (type instanceof GenericArrayType g) {
            return g.getGenericComponentType();
        }
        return raw.getComponentType();
    }

    /** A short readable name for messages: {@code List<User>}, {@code long}. */
    public static String name(Type type) {
        return type.getTypeName().replaceAll("[\\w$]+\\.", "").replace('$', '.');
    }

    /** An empty mutable collection for a declared collection class. */
    @SuppressWarnings("unchecked")
    public static Collection<Object> newCollection(Class<?> raw, int size) {
        if (raw.isAssignableFrom(ArrayList.class)) {
            return new ArrayList<>(size);
        }
        if (raw.isAssignableFrom(LinkedHashSet.class)) {
            return new LinkedHashSet<>();
        }
        if (raw.isAssignableFrom(TreeSet.class) && (raw == SortedSet.class || raw == NavigableSet.class)) {
            return new TreeSet<>();
        }
        if (raw.isAssignableFrom(LinkedList.class) && Queue.class.isAssignableFrom(raw)) {
            return new LinkedList<>();
        }
        return (Collection<Object>) instantiate(raw, "collection");
    }

    /** An empty mutable map for a declared map class. */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> newMap(Class<?> raw, int size) {
        if (raw.isAssignableFrom(LinkedHashMap.class)) {
            return new LinkedHashMap<>(Math.max(4, size * 4 / 3 + 1));
        }
        if (raw == SortedMap.class || raw == NavigableMap.class) {
            return new TreeMap<>();
        }
        if (raw == ConcurrentMap.class) {
            return new ConcurrentHashMap<>();
        }
        return (Map<Object, Object>) instantiate(raw, "map");
    }

    private static Object instantiate(Class<?> raw, String what) {
        if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
            throw new CodecFailure("cannot create a " + raw.getName() + ": declare the " + what
                    + " as an interface (List, Set, Map, ...) or a concrete class with a public no-argument"
                    + " constructor");
        }
        try {
            Constructor<?> c = raw.getConstructor();
            return c.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new CodecFailure("cannot create a " + raw.getName() + " (" + what + "): " + e, e);
        }
    }

    /** Whether the class is a collection the codecs fill from an array. */
    public static boolean isCollection(Class<?> raw) {
        return Collection.class.isAssignableFrom(raw) || raw == Iterable.class;
    }

    /** The constant of an enum type with this name (Go has no enums: they travel as strings). */
    public static Object enumByName(Class<?> enumType, String name) {
        Object[] constants = enumType.getEnumConstants();
        for (Object c : constants) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        java.util.List<String> names = new ArrayList<>();
        for (Object c : constants) {
            names.add(((Enum<?>) c).name());
        }
        throw new CodecFailure("\"" + name + "\" is not a constant of " + enumType.getSimpleName() + " " + names);
    }

    /** The constant of an enum type with this ordinal. */
    public static Object enumByOrdinal(Class<?> enumType, long ordinal) {
        Object[] constants = enumType.getEnumConstants();
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new CodecFailure(ordinal + " is not an ordinal of " + enumType.getSimpleName() + " (0.."
                    + (constants.length - 1) + ")");
        }
        return constants[(int) ordinal];
    }

    /**
     * Compares strings as Go compares them: by Unicode code point, which is the byte order of their UTF-8 (Go's
     * {@code sort.Strings}, and the key order of Go's {@code encoding/json} and {@code fmt} for maps).
     */
    public static int compareGoStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
