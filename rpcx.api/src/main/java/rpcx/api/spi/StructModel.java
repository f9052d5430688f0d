package rpcx.api.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import rpcx.api.GoField;
import rpcx.api.GoType;

/**
 * The Go view of a Java record or POJO: which properties a Go peer sees, under which names, with which Go number
 * types, and how to read and build instances. Both the msgpack and the JSON codec use it, so a Java type looks the
 * same to Go on every codec.
 *
 * <h2>What is a struct</h2>
 * {@link #isStruct(Class)} accepts records and POJOs: non-JDK, non-abstract classes with a public no-argument
 * constructor that are not enums, collections, maps, numbers or char sequences.
 *
 * <h2>Properties</h2>
 * <ul>
 *   <li>Records: the components, in declaration order, read through their accessors and built through the
 *       canonical constructor.</li>
 *   <li>POJOs: the non-static, non-transient, non-synthetic instance fields (superclass fields first, each class in
 *       declaration order), read and written through a public {@code getX}/{@code isX} and {@code setX} pair when
 *       both exist, otherwise through the field itself, which must then be public or in a package open to module
 *       {@code rpcx.api}. Final POJO fields are rejected.</li>
 *   <li>Names: {@link GoField#value()} or the Java name with its first letter capitalised (the Go field name, also
 *       the msgpack key); {@link GoField#json()} or else the Go field name (the JSON key). A JSON tag may carry
 *       Go's {@code ,omitempty} option, and the tag {@code "-"} hides the property from JSON.</li>
 *   <li>{@link GoField#embedded()} marks a Go embedded (anonymous) struct: its properties are inlined into the
 *       enclosing struct, recursively. As in Go, a shallower property hides deeper ones with the same name; two
 *       properties with one name at the same depth are an error.</li>
 * </ul>
 *
 * <p>Models are built once per class, cached, immutable and thread-safe. Builders are not thread-safe.
 *
 * <p>When a type is not suitable (not a struct, a final POJO field, a clash of names, an embedded field that is
 * not a struct) or cannot be reached by reflection (package neither exported nor open to {@code rpcx.api}),
 * {@link #of(Class)} throws a {@link CodecException} that names the class, the member and the fix.
 */
public final class StructModel {

    private static final Object UNSET = new Object();
    private static final Object NO_CONSTANT = new Object();

    private static final ClassValue<Boolean> IS_STRUCT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return computeIsStruct(type);
        }
    };

    private static final ClassValue<Object> MODELS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return new StructModel(type);
            } catch (CodecException e) {
                return e;
            }
        }
    };

    /** Classes whose model is being built on this thread: detects a struct that embeds itself. */
    private static final ThreadLocal<Set<Class<?>>> BUILDING = ThreadLocal.withInitial(HashSet::new);

    private final Class<?> type;
    private final boolean isRecord;
    private final Slot[] slots;
    /** Records: {@code (Object[])Object} over the canonical constructor; POJOs: {@code ()Object}. */
    private final MethodHandle constructor;
    private final List<Property> properties;
    private final Map<String, Property> byName;
    private final Map<String, Property> byJsonName;

    private StructModel(Class<?> type) {
        if (!isStruct(type)) {
            throw new CodecException(type.getName() + " is not a struct: expected a record or a non-JDK class with"
                    + " a public no-argument constructor (not an enum, array, collection, map, number or string)");
        }
        Set<Class<?>> building = BUILDING.get();
        if (!building.add(type)) {
            throw new CodecException(type.getName() + " embeds itself (directly or through another embedded struct);"
                    + " a Go struct cannot embed itself by value");
        }
        try {
            this.type = type;
            this.isRecord = type.isRecord();
            ensureReadable(type);
            if (isRecord) {
                this.slots = recordSlots(type);
                this.constructor = recordConstructor(type, slots);
            } else {
                this.slots = pojoSlots(type);
                this.constructor = pojoConstructor(type);
            }
            this.properties = flatten();
            this.byName = new HashMap<>();
            this.byJsonName = new HashMap<>();
            for (Property p : properties) {
                byName.put(p.name, p);
                if (p.jsonName != null) {
                    byJsonName.put(p.jsonName, p);
                }
            }
        } finally {
            building.remove(type);
        }
    }

    // ------------------------------------------------------------------------------------------------ public API

    /**
     * Whether the class is a struct in the Go sense: a record, or a concrete non-JDK class with a public
     * no-argument constructor that is not an enum, array, collection, map, number or char sequence. The answer is
     * cached. It does not promise that {@link #of(Class)} succeeds (members may still be unreachable).
     */
    public static boolean isStruct(Class<?> type) {
        return type != null && IS_STRUCT.get(type);
    }

    /**
     * The model of a struct class, built once and cached.
     *
     * @throws CodecException when the class is not a struct, is not accessible to module {@code rpcx.api}, or its
     *                        properties break a rule (the message names the class, member and fix)
     */
    public static StructModel of(Class<?> type) {
        Objects.requireNonNull(type, "type");
        Object m = MODELS.get(type);
        if (m instanceof StructModel model) {
            return model;
        }
        CodecException cause = (CodecException) m;
        throw new CodecException(cause.getMessage(), cause);
    }

    /**
     * The Go zero value of a type: {@code 0} of the right primitive or box for numbers, {@code false},
     * {@code '\0'}, {@code ""} for {@code String}, {@link BigInteger#ZERO}/{@link BigDecimal#ZERO}, a struct whose
     * properties are all zero for struct types (a struct type that recursively contains itself gets {@code null}
     * at the point of recursion, like a nil Go pointer), and {@code null} for everything else (slices, maps,
     * {@code byte[]}, arrays, enums, interfaces, {@code Object}). Type variables and wildcards use their bound.
     *
     * @throws CodecException when the type is a struct whose model cannot be built
     */
    public static Object zeroValue(Type type) {
        return zeroOf(rawClass(type), null);
    }

    /**
     * The raw class of a type: the class itself, the raw type of a parameterized type, the first bound of a type
     * variable or wildcard, or the array class of a generic array type.
     */
    public static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        if (type instanceof GenericArrayType g) {
            return rawClass(g.getGenericComponentType()).arrayType();
        }
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        throw new IllegalArgumentException("unsupported kind of type: " + type.getTypeName());
    }

    /** The Java class this model describes. */
    public Class<?> type() {
        return type;
    }

    /**
     * The properties a Go peer sees, embedded structs inlined, in declaration order (the order Go encodes them).
     * The list is immutable and {@link Property#index()} is the position in it.
     */
    public List<Property> properties() {
        return properties;
    }

    /**
     * The property with exactly this Go field name (the msgpack key; matching is case-sensitive like
     * vmihailenco/msgpack), or {@code null}.
     */
    public Property byName(String name) {
        return byName.get(name);
    }

    /**
     * The property with this JSON name: an exact match first, then a case-insensitive one like Go's
     * {@code encoding/json}; {@code null} when none matches. Properties hidden from JSON never match.
     */
    public Property byJsonName(String name) {
        Property p = byJsonName.get(name);
        if (p != null) {
            return p;
        }
        for (Property q : properties) {
            if (q.jsonName != null && q.jsonName.equalsIgnoreCase(name)) {
                return q;
            }
        }
        return null;
    }

    /** A new builder for an instance of this struct; properties left unset get their Go zero value. */
    public Builder builder() {
        return new Builder();
    }

    /** A new instance whose properties are all Go zero values (what Go's {@code new(T)} gives). */
    public Object zero() {
        return zero(null);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StructModel[").append(type.getName()).append(' ');
        for (Property p : properties) {
            sb.append(p.name).append(':').append(p.rawType.getSimpleName());
            if (p.goType != GoType.AUTO) {
                sb.append('(').append(p.goType).append(')');
            }
            sb.append(p.index + 1 < properties.size() ? ", " : "");
        }
        return sb.append(']').toString();
    }

    /**
     * One property as a Go peer sees it: a field of the struct itself or of a struct embedded in it (directly or
     * through several levels of embedding).
     */
    public static final class Property {
        private final StructModel owner;
        private final int index;
        private final String name;
        private final String jsonName;
        private final boolean jsonOmitEmpty;
        private final GoType goType;
        private final Type genericType;
        private final Class<?> rawType;
        private final int depth;
        /** Slot indexes from the owner down to the leaf, through embedded structs. */
        private final int[] path;
        /** The slots along {@link #path}, each in its own model. */
        private final Slot[] chain;

        private Property(StructModel owner, int index, Candidate c) {
            this.owner = owner;
            this.index = index;
            this.name = c.name;
            this.jsonName = c.jsonName;
            this.jsonOmitEmpty = c.jsonOmitEmpty;
            this.goType = c.leaf().goType;
            this.genericType = c.leaf().generic;
            this.rawType = c.leaf().raw;
            this.depth = c.chain.length - 1;
            this.path = c.path;
            this.chain = c.chain;
        }

        /** The Go field name: the msgpack map key. */
        public String name() {
            return name;
        }

        /**
         * The JSON key: the Go {@code json} tag name if one was given, else the Go field name; {@code null} when
         * the property is hidden from JSON (tag {@code "-"}, or hidden by a shallower property with that name).
         */
        public String jsonName() {
            return jsonName;
        }

        /** Whether the JSON tag carries Go's {@code omitempty} option (omit false, 0, "", null, empty slices/maps). */
        public boolean jsonOmitEmpty() {
            return jsonOmitEmpty;
        }

        /**
         * The Go number type: the declared {@link GoField#type()}, or for numbers the default for the Java type
         * ({@code long} INT64; {@code int}, {@code short}, {@code byte} INT; {@code char} INT32; {@code float}
         * FLOAT32; {@code double} FLOAT64). {@link GoType#AUTO} only for non-number properties without a declared
         * type; a declared type on a collection, array or map applies to its number elements.
         */
        public GoType goType() {
            return goType;
        }

        /** The declared Java type, with its type arguments (e.g. {@code List<User>}). */
        public Type genericType() {
            return genericType;
        }

        /** The declared Java class ({@code long.class}, {@code List.class}). */
        public Class<?> rawType() {
            return rawType;
        }

        /** The position in {@link StructModel#properties()}. */
        public int index() {
            return index;
        }

        /** How many embedded structs lie between the owner and this property (0 for the owner's own fields). */
        public int depth() {
            return depth;
        }

        /** The model this property belongs to (after inlining). */
        public StructModel owner() {
            return owner;
        }

        /** Where the property is declared, for messages: {@code User.uid}. */
        public String javaName() {
            Slot leaf = chain[chain.length - 1];
            return leaf.declaring.getSimpleName() + "." + leaf.javaName;
        }

        /**
         * Reads the property of an instance of {@link #owner()}. Through a {@code null} embedded struct it reads
         * the Go zero value.
         *
         * @throws IllegalArgumentException when the instance is not of the owner's type
         * @throws CodecException when the accessor throws
         */
        public Object get(Object instance) {
            if (!owner.type.isInstance(instance)) {
                throw new IllegalArgumentException("not a " + owner.type.getName() + ": "
                        + (instance == null ? "null" : instance.getClass().getName()));
            }
            Object v = instance;
            int last = chain.length - 1;
            for (int i = 0; i < last; i++) {
                v = chain[i].read(v);
                if (v == null) {
                    return chain[last].zero(null);
                }
            }
            return chain[last].read(v);
        }

        @Override
        public String toString() {
            return "Property[" + name + (Objects.equals(name, jsonName) ? "" : " json:" + jsonName) + " "
                    + genericType.getTypeName() + (goType == GoType.AUTO ? "" : " " + goType) + " from "
                    + javaName() + "]";
        }
    }

    /**
     * Collects property values and creates the instance. Properties not set take their Go zero value (see
     * {@link StructModel#zeroValue(Type)}); setting a property twice keeps the last value. Not thread-safe.
     */
    public final class Builder {
        private final Object[] values;

        private Builder() {
            values = new Object[slots.length];
            Arrays.fill(values, UNSET);
        }

        /**
         * Sets a property. {@code null} sets a primitive property to zero and any other property to {@code null}.
         *
         * @throws IllegalArgumentException when the property belongs to another model
         * @throws CodecException when the value's class does not fit the property's Java type
         */
        public Builder set(Property property, Object value) {
            if (property.owner != StructModel.this) {
                throw new IllegalArgumentException(property + " does not belong to " + type.getName());
            }
            Builder b = this;
            int last = property.path.length - 1;
            for (int i = 0; i < last; i++) {
                b = b.nested(property.path[i]);
            }
            b.put(property.path[last], value);
            return this;
        }

        /** Whether the property has been set on this builder. */
        public boolean isSet(Property property) {
            if (property.owner != StructModel.this) {
                throw new IllegalArgumentException(property + " does not belong to " + type.getName());
            }
            Builder b = this;
            int last = property.path.length - 1;
            for (int i = 0; i < last; i++) {
                Object v = b.values[property.path[i]];
                if (v == UNSET) {
                    return false;
                }
                b = (Builder) v;
            }
            return b.values[property.path[last]] != UNSET;
        }

        /**
         * Creates the instance (through the canonical constructor of a record, or the no-argument constructor and
         * the setters or fields of a POJO).
         *
         * @throws CodecException when the constructor or a setter throws (e.g. a record's validation)
         */
        public Object build() {
            return build(null);
        }

        private Builder nested(int slot) {
            Object v = values[slot];
            if (v == UNSET) {
                v = slots[slot].embedded.new Builder();
                values[slot] = v;
            }
            return (Builder) v;
        }

        private void put(int slot, Object value) {
            Slot s = slots[slot];
            if (value == null) {
                values[slot] = s.raw.isPrimitive() ? s.zeroConstant : null;
            } else if (s.box.isInstance(value)) {
                values[slot] = value;
            } else {
                throw new CodecException(type.getSimpleName() + "." + s.javaName + " is a "
                        + s.generic.getTypeName() + " and cannot take a " + value.getClass().getName());
            }
        }

        private Object build(Chain chain) {
            Object[] args = new Object[slots.length];
            Chain here = null;
            for (int i = 0; i < slots.length; i++) {
                Slot s = slots[i];
                Object v = values[i];
                if (v == UNSET) {
                    if (s.zeroConstant != NO_CONSTANT) {
                        v = s.zeroConstant;
                    } else {
                        if (here == null) {
                            here = new Chain(type, chain);
                        }
                        v = s.zero(here);
                    }
                } else if (s.embedded != null && v instanceof StructModel.Builder nb) {
                    if (here == null) {
                        here = new Chain(type, chain);
                    }
                    v = nb.build(here);
                }
                args[i] = v;
            }
            return instantiate(args);
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** A linked list of the struct types being zero-built, to stop at a type that contains itself. */
    private record Chain(Class<?> type, Chain parent) {
        boolean contains(Class<?> t) {
            for (Chain c = this; c != null; c = c.parent) {
                if (c.type == t) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A direct member of one class (record component or POJO field). */
    private static final class Slot {
        final Class<?> declaring;
        final String javaName;
        final Type generic;
        final Class<?> raw;
        final Class<?> box;
        final GoField annotation;
        final GoType goType;
        final MethodHandle getter; // (Object)Object
        final MethodHandle setter; // (Object,Object)void, POJOs only
        final StructModel embedded;
        final Object zeroConstant; // NO_CONSTANT when the zero must be built (struct types)

        Slot(Class<?> declaring, String javaName, Type generic, GoField annotation, MethodHandle getter,
                MethodHandle setter) {
            this.declaring = declaring;
            this.javaName = javaName;
            this.generic = generic;
            this.raw = rawClass(generic);
            this.box = box(raw);
            this.annotation = annotation;
            this.getter = getter;
            this.setter = setter;
            String where = declaring.getName() + "." + javaName;
            this.goType = resolveGoType(raw, annotation == null ? GoType.AUTO : annotation.type(), where);
            if (annotation != null && annotation.embedded()) {
                if (!isStruct(raw)) {
                    throw new CodecException(where + " is marked @GoField(embedded = true) but its type "
                            + generic.getTypeName() + " is not a struct (record or POJO)");
                }
                this.embedded = StructModel.of(raw);
            } else {
                this.embedded = null;
            }
            this.zeroConstant = constantZero(raw);
        }

        Object read(Object instance) {
            try {
                return (Object) getter.invokeExact(instance);
            } catch (RuntimeException | Error e) {
                throw readFailed(e);
            } catch (Throwable t) {
                throw readFailed(t);
            }
        }

        private CodecException readFailed(Throwable t) {
            return new CodecException("reading " + declaring.getSimpleName() + "." + javaName + " failed: " + t, t);
        }

        Object zero(Chain chain) {
            return zeroConstant != NO_CONSTANT ? zeroConstant : zeroOf(raw, chain);
        }

        String goName() {
            String n = annotation == null ? "" : annotation.value();
            return n.isEmpty() ? capitalise(javaName) : n;
        }
    }

    /** A property found while flattening, before shadowing is resolved. */
    private record Candidate(String name, String jsonName, boolean jsonOmitEmpty, int[] path, Slot[] chain) {
        Slot leaf() {
            return chain[chain.length - 1];
        }

        int depth() {
            return chain.length - 1;
        }
    }

    private List<Property> flatten() {
        List<Candidate> all = new ArrayList<>();
        collect(this, new int[0], new Slot[0], all);

        // Go: the shallowest property of a name wins; two at the same (shallowest) depth is an error here.
        Map<String, Candidate> winnerByName = new HashMap<>();
        for (Candidate c : all) {
            Candidate w = winnerByName.get(c.name);
            if (w == null || c.depth() < w.depth()) {
                winnerByName.put(c.name, c);
            } else if (c.depth() == w.depth()) {
                throw new CodecException(type.getName() + ": " + describe(w) + " and " + describe(c)
                        + " both have the Go field name \"" + c.name + "\"; rename one with @GoField(\"...\")");
            }
        }
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : all) {
            if (winnerByName.get(c.name) == c) {
                kept.add(c);
            }
        }
        // The same rule for JSON names among the kept properties; losers are hidden from JSON only.
        Map<String, Candidate> winnerByJson = new HashMap<>();
        for (Candidate c : kept) {
            if (c.jsonName == null) {
                continue;
            }
            Candidate w = winnerByJson.get(c.jsonName);
            if (w == null || c.depth() < w.depth()) {
                winnerByJson.put(c.jsonName, c);
            } else if (c.depth() == w.depth()) {
                throw new CodecException(type.getName() + ": " + describe(w) + " and " + describe(c)
                        + " both have the JSON name \"" + c.jsonName + "\"; change one with @GoField(json = \"...\")");
            }
        }
        List<Property> out = new ArrayList<>(kept.size());
        for (Candidate c : kept) {
            if (c.jsonName != null && winnerByJson.get(c.jsonName) != c) {
                c = new Candidate(c.name, null, c.jsonOmitEmpty, c.path, c.chain);
            }
            out.add(new Property(this, out.size(), c));
        }
        return Collections.unmodifiableList(out);
    }

    private static String describe(Candidate c) {
        Slot leaf = c.leaf();
        return leaf.declaring.getSimpleName() + "." + leaf.javaName;
    }

    private static void collect(StructModel model, int[] path, Slot[] chain, List<Candidate> out) {
        for (int i = 0; i < model.slots.length; i++) {
            Slot s = model.slots[i];
            int[] p = Arrays.copyOf(path, path.length + 1);
            p[path.length] = i;
            Slot[] ch = Arrays.copyOf(chain, chain.length + 1);
            ch[chain.length] = s;
            if (s.embedded != null) {
                collect(s.embedded, p, ch, out);
                continue;
            }
            String goName = s.goName();
            String jsonTag = s.annotation == null ? "" : s.annotation.json();
            String jsonName;
            boolean omitEmpty = false;
            if (jsonTag.equals("-")) {
                jsonName = null;
            } else {
                int comma = jsonTag.indexOf(',');
                String tagName = comma < 0 ? jsonTag : jsonTag.substring(0, comma);
                if (comma >= 0) {
                    for (String opt : jsonTag.substring(comma + 1).split(",")) {
                        if (opt.trim().equals("omitempty")) {
                            omitEmpty = true;
                        }
                    }
                }
                jsonName = tagName.isEmpty() ? goName : tagName;
            }
            out.add(new Candidate(goName, jsonName, omitEmpty, p, ch));
        }
    }

    private Object zero(Chain chain) {
        if (chain != null && chain.contains(type)) {
            return null;
        }
        return new Builder().build(chain);
    }

    private static Object zeroOf(Class<?> raw, Chain chain) {
        Object c = constantZero(raw);
        if (c != NO_CONSTANT) {
            return c;
        }
        return of(raw).zero(chain);
    }

    /** The zero of a non-struct class, or NO_CONSTANT for struct classes. */
    private static Object constantZero(Class<?> raw) {
        if (raw == int.class || raw == Integer.class) {
            return 0;
        }
        if (raw == long.class || raw == Long.class) {
            return 0L;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Boolean.FALSE;
        }
        if (raw == double.class || raw == Double.class) {
            return 0.0d;
        }
        if (raw == float.class || raw == Float.class) {
            return 0.0f;
        }
        if (raw == short.class || raw == Short.class) {
            return (short) 0;
        }
        if (raw == byte.class || raw == Byte.class) {
            return (byte) 0;
        }
        if (raw == char.class || raw == Character.class) {
            return '\0';
        }
        if (raw == String.class) {
            return "";
        }
        if (raw == BigInteger.class) {
            return BigInteger.ZERO;
        }
        if (raw == BigDecimal.class) {
            return BigDecimal.ZERO;
        }
        return isStruct(raw) ? NO_CONSTANT : null;
    }

    private Object instantiate(Object[] args) {
        try {
            if (isRecord) {
                return (Object) constructor.invokeExact(args);
            }
            Object o = (Object) constructor.invokeExact();
            for (int i = 0; i < slots.length; i++) {
                slots[i].setter.invokeExact(o, args[i]);
            }
            return o;
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException("cannot create " + type.getName() + ": its constructor or a setter threw " + t,
                    t);
        }
    }

    // ------------------------------------------------------------------------------------------------ reflection

    private static boolean computeIsStruct(Class<?> type) {
        if (type.isPrimitive() || type.isArray() || type.isInterface() || type.isAnnotation()
                || Enum.class.isAssignableFrom(type) || isJdk(type)) {
            return false;
        }
        if (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
                || Number.class.isAssignableFrom(type) || CharSequence.class.isAssignableFrom(type)) {
            return false;
        }
        if (type.isRecord()) {
            return true;
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        try {
            type.getConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean isJdk(Class<?> type) {
        Module m = type.getModule();
        if (m.isNamed() && m.getLayer() == ModuleLayer.boot()) {
            String n = m.getName();
            if (n.startsWith("java.") || n.startsWith("jdk.")) {
                return true;
            }
        }
        if (type.getClassLoader() == null) {
            return true;
        }
        String pkg = type.getPackageName();
        return pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("jdk.")
                || pkg.startsWith("sun.") || pkg.startsWith("com.sun.");
    }

    private static void ensureReadable(Class<?> type) {
        Module self = StructModel.class.getModule();
        Module target = type.getModule();
        if (self.isNamed() && !self.canRead(target)) {
            self.addReads(target);
        }
    }

    private static String accessHelp(Class<?> type) {
        Module m = type.getModule();
        String pkg = type.getPackageName();
        if (m.isNamed()) {
            return "open package " + pkg + " to module rpcx.api (in module-info of " + m.getName() + ": opens "
                    + pkg + " to rpcx.api;), or make the class and member public and export the package";
        }
        return "make the class and member public";
    }

    private static <T extends AccessibleObject & Member> T accessible(T member, Class<?> type, String what) {
        if (member.trySetAccessible()) {
            return member;
        }
        throw new CodecException("cannot access " + what + " of " + type.getName() + ": " + accessHelp(type));
    }

    private static Slot[] recordSlots(Class<?> type) {
        RecordComponent[] comps = type.getRecordComponents();
        Slot[] out = new Slot[comps.length];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (int i = 0; i < comps.length; i++) {
            RecordComponent rc = comps[i];
            Method acc = accessible(rc.getAccessor(), type, "the accessor " + rc.getName() + "()");
            MethodHandle getter;
            try {
                getter = lookup.unreflect(acc).asType(MethodType.methodType(Object.class, Object.class));
            } catch (IllegalAccessException e) {
                throw new CodecException("cannot access the accessor " + rc.getName() + "() of " + type.getName()
                        + ": " + accessHelp(type), e);
            }
            out[i] = new Slot(type, rc.getName(), rc.getGenericType(), rc.getAnnotation(GoField.class), getter, null);
        }
        return out;
    }

    private static MethodHandle recordConstructor(Class<?> type, Slot[] slots) {
        RecordComponent[] comps = type.getRecordComponents();
        Class<?>[] params = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            params[i] = comps[i].getType();
        }
        try {
            Constructor<?> ctor = accessible(type.getDeclaredConstructor(params), type, "the canonical constructor");
            return MethodHandles.lookup().unreflectConstructor(ctor)
                    .asSpreader(Object[].class, slots.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new CodecException("cannot use the canonical constructor of " + type.getName() + ": "
                    + accessHelp(type), e);
        }
    }

    private static MethodHandle pojoConstructor(Class<?> type) {
        try {
            Constructor<?> ctor = accessible(type.getConstructor(), type, "the no-argument constructor");
            return MethodHandles.lookup().unreflectConstructor(ctor)
                    .asType(MethodType.methodType(Object.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new CodecException("cannot use the no-argument constructor of " + type.getName() + ": "
                    + accessHelp(type), e);
        }
    }

    private static Slot[] pojoSlots(Class<?> type) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class && !isJdk(c); c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        List<Slot> out = new ArrayList<>();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> c : hierarchy) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.isSynthetic()) {
                    continue;
                }
                String where = c.getName() + "." + f.getName();
                if (Modifier.isFinal(mod)) {
                    throw new CodecException("field " + where + " is final: a POJO's properties must be settable"
                            + " (make it non-final, mark it transient to leave it out, or use a record)");
                }
                Method getter = findGetter(c, f);
                Method setter = findSetter(c, f);
                MethodHandle get;
                MethodHandle set;
                try {
                    if (getter != null && setter != null && getter.trySetAccessible() && setter.trySetAccessible()) {
                        get = lookup.unreflect(getter);
                        set = lookup.unreflect(setter);
                    } else {
                        Field acc = accessible(f, c, "field " + f.getName()
                                + " (it has no public getter/setter pair)");
                        get = lookup.unreflectGetter(acc);
                        set = lookup.unreflectSetter(acc);
                    }
                } catch (IllegalAccessException e) {
                    throw new CodecException("cannot access field " + where + ": " + accessHelp(c), e);
                }
                GoField ann = f.getAnnotation(GoField.class);
                if (ann == null && getter != null) {
                    ann = getter.getAnnotation(GoField.class);
                }
                out.add(new Slot(c, f.getName(), f.getGenericType(), ann,
                        get.asType(MethodType.methodType(Object.class, Object.class)),
                        set.asType(MethodType.methodType(void.class, Object.class, Object.class))));
            }
        }
        return out.toArray(new Slot[0]);
    }

    private static Method findGetter(Class<?> c, Field f) {
        String cap = capitalise(f.getName());
        for (String n : f.getType() == boolean.class ? new String[] {"is" + cap, "get" + cap}
                : new String[] {"get" + cap}) {
            try {
                Method m = c.getMethod(n);
                if (m.getReturnType() == f.getType() && !Modifier.isStatic(m.getModifiers())) {
                    return m;
                }
            } catch (NoSuchMethodException e) {
                // try the next name
            }
        }
        return null;
    }

    private static Method findSetter(Class<?> c, Field f) {
        try {
            Method m = c.getMethod("set" + capitalise(f.getName()), f.getType());
            return Modifier.isStatic(m.getModifiers()) ? null : m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static String capitalise(String s) {
        if (s.isEmpty() || Character.isUpperCase(s.codePointAt(0))) {
            return s;
        }
        int first = s.codePointAt(0);
        return new StringBuilder(s.length()).appendCodePoint(Character.toUpperCase(first))
                .append(s, Character.charCount(first), s.length()).toString();
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return MethodType.methodType(c).wrap().returnType();
    }

    private static GoType resolveGoType(Class<?> raw, GoType declared, String where) {
        Class<?> t = box(raw);
        boolean integral = t == Long.class || t == Integer.class || t == Short.class || t == Byte.class
                || t == Character.class || t == BigInteger.class;
        boolean floating = t == Double.class || t == Float.class;
        if (declared == null || declared == GoType.AUTO) {
            if (t == Long.class) {
                return GoType.INT64;
            }
            if (t == Integer.class || t == Short.class || t == Byte.class || t == BigInteger.class) {
                return GoType.INT;
            }
            if (t == Character.class) {
                return GoType.INT32;
            }
            if (t == Float.class) {
                return GoType.FLOAT32;
            }
            if (t == Double.class) {
                return GoType.FLOAT64;
            }
            return GoType.AUTO;
        }
        boolean goFloat = declared == GoType.FLOAT32 || declared == GoType.FLOAT64;
        if (integral && goFloat) {
            throw new CodecException(where + " is an integer (" + raw.getName() + ") but declares Go type "
                    + declared.name().toLowerCase(Locale.ROOT) + "; use an integer GoType or a float/double field");
        }
        if (floating && !goFloat) {
            throw new CodecException(where + " is a floating-point number (" + raw.getName()
                    + ") but declares Go type " + declared.name().toLowerCase(Locale.ROOT)
                    + "; use GoType.FLOAT32/FLOAT64 or an integer field");
        }
        if (!integral && !floating && (t == String.class || t == Boolean.class || t == byte[].class)) {
            throw new CodecException(where + " is a " + raw.getName() + ", not a number, but declares Go type "
                    + declared.name().toLowerCase(Locale.ROOT));
        }
        return declared;
    }
}
