package dev.parley.internal;

import dev.parley.ParleyException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reflection-based codec between records (and sealed interfaces of records) and the {@link Json}
 * model; the call journal writes signals and effects with it.
 *
 * <p>A record becomes an object with its components in declaration order. A record that
 * implements a sealed interface also gets a leading {@code "type"} property holding its simple
 * name, which must be unique among the records reachable from any sealed interface it is read as
 * (sealed interfaces nested in sealed interfaces are followed). Supported component types: String,
 * the primitives and their boxes, enums (by name), {@link Duration} and {@link Instant} (ISO-8601
 * strings), {@code List<X>}, {@code Map<String, X>}, {@code Optional<X>} (an empty optional is left
 * out; a missing or null property reads as empty), records, sealed interfaces, {@code byte[]} and
 * {@code short[]} (base64; shorts little-endian), and {@code Object} (a raw {@link Json} model).
 * Non-finite doubles are written as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}. Unknown properties are ignored when reading, so old readers accept newer
 * journals.
 *
 * <p>Per-class metadata (accessors, canonical constructor, component codecs) is computed once and
 * cached. Errors are {@link ParleyException}s naming the path of the failing value, such as
 * {@code $.effects[2].text}.
 */
public final class RecordJson {
    private static final String TYPE = "type";

    private static final ClassValue<Codec> CLASS_CODECS = new ClassValue<>() {
        @Override
        protected Codec computeValue(Class<?> type) {
            return classCodec(type);
        }
    };
    private static final ClassValue<RecordInfo> RECORDS = new ClassValue<>() {
        @Override
        protected RecordInfo computeValue(Class<?> type) {
            return new RecordInfo(type);
        }
    };
    private static final ClassValue<Map<String, Class<?>>> SEALED = new ClassValue<>() {
        @Override
        protected Map<String, Class<?>> computeValue(Class<?> type) {
            Map<String, Class<?>> byName = new TreeMap<>();
            collectPermitted(type, type, byName);
            return Collections.unmodifiableMap(byName);
        }
    };
    private static final Map<Type, Codec> GENERIC_CODECS = new ConcurrentHashMap<>();
    private static final Codec DYNAMIC = new Simple("a JSON value", RecordJson::dynamic, json -> json);

    private RecordJson() {}

    /**
     * Converts a value to the {@link Json} model, dispatching on its runtime class: records (with
     * {@code "type"} when they implement a sealed interface), enums, Duration, Instant, arrays of
     * bytes or shorts, Optional, collections and maps of those, strings, numbers and booleans.
     *
     * @throws ParleyException naming the path if some part of the value is not supported
     */
    public static Object toJson(Object value) {
        return DYNAMIC.encode(value);
    }

    /**
     * Converts a value to the {@link Json} model as the given static type, for example a
     * {@code List<Signal>} built with a {@link ParameterizedType}.
     *
     * @throws ParleyException naming the path if the value does not fit the type
     */
    public static Object toJson(Object value, Type type) {
        return codecFor(type).encode(value);
    }

    /**
     * Builds a value of the given type from the {@link Json} model.
     *
     * @param json a model value as returned by {@link Json#parse}
     * @param type a supported class or parameterized type ({@code List<X>}, {@code Map<String, X>},
     *     {@code Optional<X>})
     * @throws ParleyException naming the path on a missing field, an unknown {@code "type"} name,
     *     a value of the wrong kind or a record constructor that rejects its arguments
     */
    @SuppressWarnings("unchecked")
    public static <T> T fromJson(Object json, Type type) {
        return (T) codecFor(type).decode(json);
    }

    /** Writes a value as compact JSON text; see {@link #toJson(Object)}. */
    public static String write(Object value) {
        return Json.write(toJson(value));
    }

    /** Writes a value as compact JSON text as the given static type; see {@link #toJson(Object, Type)}. */
    public static String write(Object value, Type type) {
        return Json.write(toJson(value, type));
    }

    /**
     * Parses JSON text into a value of the given class; see {@link #fromJson}.
     *
     * @throws ParleyException if the text is malformed or does not describe a {@code type}
     */
    public static <T> T read(String json, Class<T> type) {
        return fromJson(Json.parse(json), type);
    }

    /** Parses JSON text into a value of the given (possibly parameterized) type; see {@link #fromJson}. */
    public static <T> T read(String json, Type type) {
        return fromJson(Json.parse(json), type);
    }

    // ---- codecs ----------------------------------------------------------------------------

    private interface Codec {
        Object encode(Object value);

        Object decode(Object json);

        default boolean optional() {
            return false;
        }
    }

    private record Simple(String kind, Function<Object, Object> encoder, Function<Object, Object> decoder)
            implements Codec {
        @Override
        public Object encode(Object value) {
            try {
                return encoder.apply(value);
            } catch (ClassCastException e) {
                throw new PathError("expected " + kind + ", got " + describe(value), e);
            }
        }

        @Override
        public Object decode(Object json) {
            try {
                return decoder.apply(json);
            } catch (ClassCastException | IllegalArgumentException | ArithmeticException | DateTimeException e) {
                throw new PathError("expected " + kind + ", got " + describe(json), e);
            }
        }
    }

    private static Codec codecFor(Type type) {
        if (type instanceof Class<?> c) {
            return CLASS_CODECS.get(c);
        }
        Codec codec = GENERIC_CODECS.get(type);
        if (codec == null) { // not computeIfAbsent: building a codec recurses into this map
            codec = genericCodec(type);
            GENERIC_CODECS.putIfAbsent(type, codec);
        }
        return codec;
    }

    private static Codec genericCodec(Type type) {
        if (type instanceof WildcardType w && w.getLowerBounds().length == 0) {
            return codecFor(w.getUpperBounds()[0]);
        }
        if (!(type instanceof ParameterizedType p) || !(p.getRawType() instanceof Class<?> raw)) {
            throw new ParleyException("unsupported type " + type.getTypeName());
        }
        Type[] args = p.getActualTypeArguments();
        if (raw == List.class || raw == Collection.class) {
            return new ListCodec(codecFor(args[0]));
        }
        if (raw == Map.class && args[0] == String.class) {
            return new MapCodec(codecFor(args[1]));
        }
        if (raw == Optional.class) {
            return new OptionalCodec(codecFor(args[0]));
        }
        throw new ParleyException("unsupported type " + type.getTypeName());
    }

    private static Codec classCodec(Class<?> c) {
        if (c == String.class) {
            return new Simple("a string", v -> (String) v, j -> (String) j);
        } else if (c == boolean.class || c == Boolean.class) {
            return new Simple("a boolean", v -> (Boolean) v, j -> (Boolean) j);
        } else if (c == int.class || c == Integer.class) {
            return new Simple("an int", v -> (long) (Integer) v, j -> Math.toIntExact(integral(j)));
        } else if (c == long.class || c == Long.class) {
            return new Simple("a long", v -> (Long) v, RecordJson::integral);
        } else if (c == short.class || c == Short.class) {
            return new Simple("a short", v -> (long) (Short) v, j -> narrow(integral(j), Short.MIN_VALUE, Short.MAX_VALUE).shortValue());
        } else if (c == byte.class || c == Byte.class) {
            return new Simple("a byte", v -> (long) (Byte) v, j -> narrow(integral(j), Byte.MIN_VALUE, Byte.MAX_VALUE).byteValue());
        } else if (c == double.class || c == Double.class) {
            return new Simple("a number", v -> encodeDouble((Double) v), RecordJson::decodeDouble);
        } else if (c == float.class || c == Float.class) {
            return new Simple("a number", v -> encodeDouble(Double.parseDouble(Float.toString((Float) v))),
                    j -> (float) decodeDouble(j));
        } else if (c == char.class || c == Character.class) {
            return new Simple("a one-character string", v -> String.valueOf((char) (Character) v), RecordJson::decodeChar);
        } else if (c.isEnum()) {
            return new Simple("a constant of " + c.getSimpleName(), v -> ((Enum<?>) c.cast(v)).name(),
                    j -> enumConstant(c, (String) j));
        } else if (c == Duration.class) {
            return new Simple("an ISO-8601 duration", v -> ((Duration) v).toString(), j -> Duration.parse((String) j));
        } else if (c == Instant.class) {
            return new Simple("an ISO-8601 instant", v -> ((Instant) v).toString(), j -> Instant.parse((String) j));
        } else if (c == byte[].class) {
            return new Simple("base64 bytes", v -> Base64.getEncoder().encodeToString((byte[]) v),
                    j -> Base64.getDecoder().decode((String) j));
        } else if (c == short[].class) {
            return new Simple("base64 samples", RecordJson::encodeShorts, RecordJson::decodeShorts);
        } else if (c == Object.class) {
            return DYNAMIC;
        } else if (c == List.class || c == Collection.class) {
            return new ListCodec(DYNAMIC);
        } else if (c == Map.class) {
            return new MapCodec(DYNAMIC);
        } else if (c.isRecord()) {
            return new RecordCodec(c);
        } else if (c.isInterface() && c.isSealed()) {
            return new SealedCodec(c);
        }
        return new Unsupported(c);
    }

    private record Unsupported(Class<?> type) implements Codec {
        @Override
        public Object encode(Object value) {
            throw new PathError("unsupported type " + type.getName());
        }

        @Override
        public Object decode(Object json) {
            throw new PathError("unsupported type " + type.getName());
        }
    }

    private static Object dynamic(Object value) {
        return switch (value) {
            case Json.Null n -> n;
            case Record r -> RECORDS.get(r.getClass()).encode(r);
            case Enum<?> e -> e.name();
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> encodeDouble(d);
            case Float f -> encodeDouble(Double.parseDouble(Float.toString(f)));
            case Optional<?> o -> o.isPresent() ? dynamic(o.get()) : Json.NULL;
            case Map<?, ?> m -> MapCodec.encodeWith(DYNAMIC, m);
            case Collection<?> l -> ListCodec.encodeWith(DYNAMIC, l);
            default -> {
                Codec codec = CLASS_CODECS.get(value.getClass());
                if (codec == DYNAMIC) {
                    throw new PathError("unsupported type " + value.getClass().getName());
                }
                yield codec.encode(value);
            }
        };
    }

    private record ListCodec(Codec element) implements Codec {
        static List<Object> encodeWith(Codec element, Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            int i = 0;
            for (Object item : list) {
                try {
                    out.add(element.encode(present(item)));
                } catch (PathError e) {
                    throw e.at("[" + i + "]");
                }
                i++;
            }
            return out;
        }

        @Override
        public Object encode(Object value) {
            if (!(value instanceof Collection<?> list)) {
                throw new PathError("expected a list, got " + describe(value));
            }
            return encodeWith(element, list);
        }

        @Override
        public Object decode(Object json) {
            if (!(json instanceof List<?> list)) {
                throw new PathError("expected an array, got " + describe(json));
            }
            Object[] out = new Object[list.size()];
            for (int i = 0; i < out.length; i++) {
                try {
                    out[i] = element.decode(list.get(i));
                } catch (PathError e) {
                    throw e.at("[" + i + "]");
                }
            }
            return List.of(out);
        }
    }

    private record MapCodec(Codec value) implements Codec {
        static Map<String, Object> encodeWith(Codec value, Map<?, ?> map) {
            // Unordered maps (Map.of, HashMap) are written in key order so the output is deterministic.
            for (Object key : map.keySet()) {
                if (!(key instanceof String)) {
                    throw new PathError("map keys must be strings, got " + describe(key));
                }
            }
            Map<?, ?> ordered = map instanceof SequencedMap<?, ?> ? map : new TreeMap<>(map);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ordered.entrySet()) {
                String key = (String) e.getKey();
                try {
                    out.put(key, value.encode(present(e.getValue())));
                } catch (PathError err) {
                    throw err.at("[" + Json.quote(key) + "]");
                }
            }
            return out;
        }

        @Override
        public Object encode(Object v) {
            if (!(v instanceof Map<?, ?> map)) {
                throw new PathError("expected a map, got " + describe(v));
            }
            return encodeWith(value, map);
        }

        @Override
        public Object decode(Object json) {
            if (!(json instanceof Map<?, ?> map)) {
                throw new PathError("expected an object, got " + describe(json));
            }
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                try {
                    out.put(key, value.decode(e.getValue()));
                } catch (PathError err) {
                    throw err.at("[" + Json.quote(key) + "]");
                }
            }
            return Collections.unmodifiableSequencedMap(out);
        }
    }

    private record OptionalCodec(Codec inner) implements Codec {
        @Override
        public Object encode(Object value) {
            if (!(value instanceof Optional<?> o)) {
                throw new PathError("expected an Optional, got " + describe(value));
            }
            return o.isPresent() ? inner.encode(o.get()) : Json.NULL;
        }

        @Override
        public Object decode(Object json) {
            return json == Json.NULL ? Optional.empty() : Optional.of(inner.decode(json));
        }

        @Override
        public boolean optional() {
            return true;
        }
    }

    private static final class RecordCodec implements Codec {
        private final Class<?> type;
        private @Nullable RecordInfo info; // resolved lazily: records may refer to themselves

        RecordCodec(Class<?> type) {
            this.type = type;
        }

        private RecordInfo info() {
            RecordInfo i = info;
            if (i == null) {
                i = RECORDS.get(type);
                info = i;
            }
            return i;
        }

        @Override
        public Object encode(Object value) {
            if (value.getClass() != type) {
                throw new PathError("expected " + type.getSimpleName() + ", got " + describe(value));
            }
            return info().encode(value);
        }

        @Override
        public Object decode(Object json) {
            return info().decode(json);
        }
    }

    private record SealedCodec(Class<?> type) implements Codec {
        @Override
        public Object encode(Object value) {
            if (!type.isInstance(value) || !value.getClass().isRecord()) {
                throw new PathError("expected a record implementing " + type.getSimpleName() + ", got " + describe(value));
            }
            return RECORDS.get(value.getClass()).encode(value);
        }

        @Override
        public Object decode(Object json) {
            if (!(json instanceof Map<?, ?> map)) {
                throw new PathError("expected an object, got " + describe(json));
            }
            if (!(map.get(TYPE) instanceof String name)) {
                throw new PathError("missing \"type\" for " + type.getSimpleName());
            }
            Map<String, Class<?>> known = SEALED.get(type);
            Class<?> record = known.get(name);
            if (record == null) {
                throw new PathError("unknown type " + Json.quote(name) + " for " + type.getSimpleName()
                        + " (known: " + String.join(", ", known.keySet()) + ")");
            }
            return RECORDS.get(record).decode(json);
        }
    }

    /** Cached reflection data of one record class. */
    private static final class RecordInfo {
        private final Class<?> type;
        private final @Nullable String typeName;
        private final String[] names;
        private final Method[] accessors;
        private final Codec[] codecs;
        private final Constructor<?> constructor;

        RecordInfo(Class<?> type) {
            if (!type.isRecord()) {
                throw new ParleyException(type.getName() + " is not a record");
            }
            this.type = type;
            boolean typed = false;
            for (Class<?> i : type.getInterfaces()) {
                typed |= i.isSealed();
            }
            this.typeName = typed ? type.getSimpleName() : null;
            RecordComponent[] components = type.getRecordComponents();
            names = new String[components.length];
            accessors = new Method[components.length];
            codecs = new Codec[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                if (typed && names[i].equals(TYPE)) {
                    throw new ParleyException(type.getName() + " implements a sealed interface, so it cannot have a component named \"type\"");
                }
                accessors[i] = components[i].getAccessor();
                accessors[i].trySetAccessible();
                codecs[i] = codecFor(components[i].getGenericType());
                if (codecs[i] instanceof Unsupported u) {
                    throw new ParleyException("unsupported type " + u.type().getName() + " of " + type.getName() + "." + names[i]);
                }
                raw[i] = components[i].getType();
            }
            try {
                constructor = type.getDeclaredConstructor(raw);
            } catch (NoSuchMethodException e) {
                throw new ParleyException("no canonical constructor in " + type.getName(), e);
            }
            constructor.trySetAccessible();
        }

        Object encode(Object record) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (typeName != null) {
                out.put(TYPE, typeName);
            }
            for (int i = 0; i < names.length; i++) {
                try {
                    Object v = accessors[i].invoke(record);
                    if (v == null) {
                        throw new PathError("null value (use Optional for absent values)");
                    }
                    if (!(codecs[i].optional() && ((Optional<?>) v).isEmpty())) {
                        out.put(names[i], codecs[i].encode(v));
                    }
                } catch (PathError e) {
                    throw e.at("." + names[i]);
                } catch (ReflectiveOperationException | ClassCastException e) {
                    throw new PathError("cannot read " + type.getSimpleName() + "." + names[i] + ": " + e, e).at("." + names[i]);
                }
            }
            return out;
        }

        Object decode(Object json) {
            if (!(json instanceof Map<?, ?> map)) {
                throw new PathError("expected an object for " + type.getSimpleName() + ", got " + describe(json));
            }
            if (typeName != null && map.get(TYPE) instanceof String name && !name.equals(typeName)) {
                throw new PathError("\"type\" is " + Json.quote(name) + ", expected " + Json.quote(typeName));
            }
            Object[] args = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                Object j = map.get(names[i]);
                try {
                    if (codecs[i].optional()) {
                        args[i] = codecs[i].decode(j == null ? Json.NULL : j);
                    } else if (j == null || (j == Json.NULL && codecs[i] != DYNAMIC)) {
                        throw new PathError((j == null ? "missing field of " : "null field of ") + type.getSimpleName());
                    } else {
                        args[i] = codecs[i].decode(j);
                    }
                } catch (PathError e) {
                    throw e.at("." + names[i]);
                }
            }
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                throw new PathError("invalid " + type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                throw new PathError("cannot construct " + type.getSimpleName() + ": " + e, e);
            }
        }
    }

    private static void collectPermitted(Class<?> root, Class<?> sealed, Map<String, Class<?>> byName) {
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isRecord()) {
                Class<?> previous = byName.put(sub.getSimpleName(), sub);
                if (previous != null && previous != sub) {
                    throw new ParleyException("two records named " + sub.getSimpleName() + " under " + root.getName()
                            + ": " + previous.getName() + " and " + sub.getName());
                }
            } else if (sub.isInterface() && sub.isSealed()) {
                collectPermitted(root, sub, byName);
            } else {
                throw new ParleyException(sub.getName() + " under " + root.getName()
                        + " is neither a record nor a sealed interface");
            }
        }
    }

    // ---- scalar helpers --------------------------------------------------------------------

    private static long integral(Object json) {
        if (json instanceof Long l) {
            return l;
        }
        double d = (Double) json;
        if (d != Math.rint(d) || Math.abs(d) >= 0x1p63) {
            throw new ArithmeticException("not an integer");
        }
        return (long) d;
    }

    private static Long narrow(long v, long min, long max) {
        if (v < min || v > max) {
            throw new ArithmeticException("out of range");
        }
        return v;
    }

    private static Object encodeDouble(double d) {
        return Double.isFinite(d) ? (Object) d : Double.toString(d);
    }

    private static double decodeDouble(Object json) {
        return switch (json) {
            case Long l -> l.doubleValue();
            case String s when s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity") -> Double.parseDouble(s);
            default -> (Double) json;
        };
    }

    private static char decodeChar(Object json) {
        String s = (String) json;
        if (s.length() != 1) {
            throw new IllegalArgumentException("not one character");
        }
        return s.charAt(0);
    }

    private static Object enumConstant(Class<?> type, String name) {
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no constant " + name);
    }

    private static String encodeShorts(Object value) {
        short[] s = (short[]) value;
        ByteBuffer b = ByteBuffer.allocate(s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(s);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static short[] decodeShorts(Object json) {
        byte[] bytes = Base64.getDecoder().decode((String) json);
        if (bytes.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of bytes");
        }
        short[] s = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    private static Object present(@Nullable Object value) {
        if (value == null) {
            throw new PathError("null value");
        }
        return value;
    }

    private static String describe(@Nullable Object json) {
        return switch (json) {
            case null -> "nothing";
            case String s -> "string " + (s.length() > 40 ? Json.quote(s.substring(0, 40)) + "..." : Json.quote(s));
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "an array";
            case Json.Null _ -> "null";
            default -> json.getClass().getSimpleName() + " " + json;
        };
    }

    /** A failure that collects the path of the failing value while it unwinds. */
    private static final class PathError extends ParleyException {
        private final Deque<String> path = new ArrayDeque<>();
        private final String problem;

        PathError(String problem) {
            this(problem, null);
        }

        PathError(String problem, @Nullable Throwable cause) {
            super(problem, cause);
            this.problem = problem;
        }

        PathError at(String segment) {
            path.addFirst(segment);
            return this;
        }

        @Override
        public String getMessage() {
            return "at $" + String.join("", path) + ": " + problem;
        }
    }
}
