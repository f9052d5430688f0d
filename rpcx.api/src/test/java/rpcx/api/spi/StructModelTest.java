package rpcx.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import rpcx.api.GoField;
import rpcx.api.GoType;

class StructModelTest {

    record Args(int a, int b) {
    }

    record Reply(int c) {
    }

    record User(@GoField(value = "UID", json = "id") long uid,
                @GoField(json = "addtime") long addTime,
                @GoField(json = "utype", type = GoType.INT32) int userType,
                @GoField(json = "uface") String uface,
                @GoField(json = "uname") String userName) {
    }

    record UserReply(@GoField(embedded = true) User user) {
    }

    record Inner(int x, String s) {
    }

    record Outer(Inner inner, List<Inner> list, Map<String, Long> map, byte[] data, Long boxed, double d,
                 float f, boolean ok, char ch, short sh, byte by, BigInteger big) {
    }

    record Node(int value, Node next) {
    }

    record Base(int id, String name) {
    }

    /** Outer field "Name" (depth 0) hides the embedded Base.name (depth 1). */
    record Shadow(@GoField(embedded = true) Base base, String name) {
    }

    record Clash1(int id) {
    }

    record Clash2(int id) {
    }

    record SameDepth(@GoField(embedded = true) Clash1 a, @GoField(embedded = true) Clash2 b) {
    }

    record Twice(int x, @GoField("X") int other) {
    }

    record SelfEmbed(int x, @GoField(embedded = true) SelfEmbed self) {
    }

    record BadEmbed(@GoField(embedded = true) String s) {
    }

    record BadGoType(@GoField(type = GoType.INT32) String s) {
    }

    record FloatAsInt(@GoField(type = GoType.INT64) double d) {
    }

    record Validated(int n) {
        Validated {
            if (n < 0) {
                throw new IllegalArgumentException("n must be >= 0");
            }
        }
    }

    record JsonTags(@GoField(json = "a,omitempty") int a, @GoField(json = "-") int hidden, int plain) {
    }

    record Deep(@GoField(embedded = true) UserReply reply, int extra) {
    }

    record Empty() {
    }

    record Generic<T>(List<T> items) {
    }

    enum Color { RED }

    /** A POJO with a getter/setter pair, a public field and a private field without accessors. */
    public static class Pojo {
        private String name;
        public int count;
        private long secret;
        @GoField("Flag")
        private boolean enabled;
        private transient int ignored;
        static int alsoIgnored;

        public Pojo() {
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        long secret() {
            return secret;
        }
    }

    public static class SubPojo extends Pojo {
        public String extra;

        public SubPojo() {
        }
    }

    public static class FinalFieldPojo {
        public final int x = 1;

        public FinalFieldPojo() {
        }
    }

    public static class NoDefaultCtor {
        public int x;

        public NoDefaultCtor(int x) {
            this.x = x;
        }
    }

    public abstract static class AbstractPojo {
        public AbstractPojo() {
        }
    }

    public static class MyList extends ArrayList<String> {
        public MyList() {
        }
    }

    @Test
    void isStructAcceptsRecordsAndPojosOnly() {
        assertTrue(StructModel.isStruct(Args.class));
        assertTrue(StructModel.isStruct(Empty.class));
        assertTrue(StructModel.isStruct(Pojo.class));
        assertTrue(StructModel.isStruct(SubPojo.class));
        for (Class<?> c : new Class<?>[] {String.class, Long.class, long.class, int[].class, byte[].class,
                Color.class, List.class, ArrayList.class, HashMap.class, Map.class, Object.class, BigInteger.class,
                TimeUnit.class, NoDefaultCtor.class, AbstractPojo.class, MyList.class, Runnable.class,
                java.time.Instant.class, Thread.class}) {
            assertFalse(StructModel.isStruct(c), c.getName());
        }
        assertFalse(StructModel.isStruct(null));
    }

    @Test
    void recordNamesAndDefaultGoTypes() {
        StructModel m = StructModel.of(User.class);
        assertSame(m, StructModel.of(User.class), "cached");
        assertEquals(User.class, m.type());
        List<String> names = m.properties().stream().map(StructModel.Property::name).toList();
        assertEquals(List.of("UID", "AddTime", "UserType", "Uface", "UserName"), names);
        List<String> json = m.properties().stream().map(StructModel.Property::jsonName).toList();
        assertEquals(List.of("id", "addtime", "utype", "uface", "uname"), json);
        assertEquals(GoType.INT64, m.byName("UID").goType());
        assertEquals(GoType.INT64, m.byName("AddTime").goType());
        assertEquals(GoType.INT32, m.byName("UserType").goType());
        assertEquals(GoType.AUTO, m.byName("Uface").goType());
        assertEquals(long.class, m.byName("UID").rawType());
        assertEquals(4, m.byName("UserName").index());
        assertEquals("User.uid", m.byName("UID").javaName());

        StructModel o = StructModel.of(Outer.class);
        assertEquals(GoType.INT, o.byName("Sh").goType());
        assertEquals(GoType.INT, o.byName("By").goType());
        assertEquals(GoType.INT64, o.byName("Boxed").goType());
        assertEquals(GoType.FLOAT64, o.byName("D").goType());
        assertEquals(GoType.FLOAT32, o.byName("F").goType());
        assertEquals(GoType.INT32, o.byName("Ch").goType());
        assertEquals(GoType.AUTO, o.byName("Ok").goType());
        assertEquals(GoType.INT, StructModel.of(Args.class).byName("A").goType());
        assertEquals("java.util.List<rpcx.api.spi.StructModelTest$Inner>",
                o.byName("List").genericType().getTypeName());
    }

    @Test
    void byNameIsExactAndByJsonNameFallsBackToCaseInsensitive() {
        StructModel m = StructModel.of(User.class);
        assertNull(m.byName("uid"));
        assertNull(m.byName("Uid"));
        assertNotNull(m.byName("UID"));
        assertSame(m.byName("UID"), m.byJsonName("id"));
        assertSame(m.byName("UID"), m.byJsonName("ID"));
        assertSame(m.byName("UserName"), m.byJsonName("UNAME"));
        assertNull(m.byJsonName("UserName"), "the JSON name is the tag, not the Go name");
        assertNull(m.byJsonName("nope"));
        assertSame(StructModel.of(Args.class).byName("A"), StructModel.of(Args.class).byJsonName("a"));
    }

    @Test
    void getReadsRecordComponents() {
        User u = new User(1, 14990093, 2, "http://image.xxxx.xxx/t.gif", "Joke");
        StructModel m = StructModel.of(User.class);
        assertEquals(1L, m.byName("UID").get(u));
        assertEquals(2, m.byName("UserType").get(u));
        assertEquals("Joke", m.byName("UserName").get(u));
        assertThrows(IllegalArgumentException.class, () -> m.byName("UID").get(new Args(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> m.byName("UID").get(null));
    }

    @Test
    void builderFillsUnsetPropertiesWithGoZeroValues() {
        StructModel m = StructModel.of(Outer.class);
        Outer o = (Outer) m.builder().set(m.byName("D"), 2.5).build();
        assertEquals(2.5, o.d());
        assertEquals(new Inner(0, ""), o.inner(), "nested struct field gets a zero struct");
        assertNull(o.list());
        assertNull(o.map());
        assertNull(o.data());
        assertEquals(0L, o.boxed());
        assertFalse(o.ok());
        assertEquals('\0', o.ch());
        assertEquals(BigInteger.ZERO, o.big());

        Outer p = (Outer) m.builder().set(m.byName("Inner"), null).set(m.byName("D"), null).build();
        assertNull(p.inner(), "explicit null stays null for reference types");
        assertEquals(0.0, p.d(), "null into a primitive is zero");
    }

    @Test
    void builderRejectsValuesOfTheWrongClass() {
        StructModel m = StructModel.of(Args.class);
        CodecException e = assertThrows(CodecException.class, () -> m.builder().set(m.byName("A"), 10L));
        assertTrue(e.getMessage().contains("Args.a"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> m.builder().set(StructModel.of(Reply.class).byName("C"), 1));
        assertEquals(new Args(10, 20), m.builder().set(m.byName("A"), 10).set(m.byName("B"), 20).build());
        assertEquals(new Args(0, 20), m.builder().set(m.byName("B"), 1).set(m.byName("B"), 20).build(),
                "last set wins");
    }

    @Test
    void builderWrapsConstructorFailures() {
        StructModel m = StructModel.of(Validated.class);
        CodecException e = assertThrows(CodecException.class, () -> m.builder().set(m.byName("N"), -1).build());
        assertTrue(e.getMessage().contains("n must be >= 0"), e.getMessage());
        assertTrue(e.getMessage().contains(Validated.class.getName()), e.getMessage());
    }

    @Test
    void zeroValues() {
        assertEquals(new Reply(0), StructModel.zeroValue(Reply.class));
        assertEquals(0L, StructModel.zeroValue(Long.class));
        assertEquals(0L, StructModel.zeroValue(long.class));
        assertEquals(0, StructModel.zeroValue(Integer.class));
        assertEquals((short) 0, StructModel.zeroValue(Short.class));
        assertEquals((byte) 0, StructModel.zeroValue(byte.class));
        assertEquals(0.0f, StructModel.zeroValue(Float.class));
        assertEquals(0.0d, StructModel.zeroValue(double.class));
        assertEquals(false, StructModel.zeroValue(boolean.class));
        assertEquals("", StructModel.zeroValue(String.class));
        assertNull(StructModel.zeroValue(byte[].class));
        assertNull(StructModel.zeroValue(Object.class));
        assertNull(StructModel.zeroValue(Color.class));
        Type listOfInner = Outer.class.getRecordComponents()[1].getGenericType();
        assertNull(StructModel.zeroValue(listOfInner));
        assertNull(StructModel.zeroValue(Map.class));
        assertEquals(new User(0, 0, 0, "", ""), StructModel.zeroValue(User.class));
        assertEquals(new UserReply(new User(0, 0, 0, "", "")), StructModel.zeroValue(UserReply.class));
        assertEquals(new Node(0, null), StructModel.zeroValue(Node.class), "recursion stops like a nil pointer");
        assertEquals(new Node(0, null), StructModel.of(Node.class).zero());
        Pojo zp = (Pojo) StructModel.zeroValue(Pojo.class);
        assertEquals("", zp.getName());
        assertEquals(0, zp.count);
        assertTrue(StructModel.zeroValue(Pojo.class) != StructModel.zeroValue(Pojo.class), "mutable: fresh copy");
    }

    @Test
    void embeddedStructsAreInlined() {
        StructModel m = StructModel.of(UserReply.class);
        assertEquals(List.of("UID", "AddTime", "UserType", "Uface", "UserName"),
                m.properties().stream().map(StructModel.Property::name).toList());
        assertEquals(1, m.byName("UID").depth());
        assertSame(m, m.byName("UID").owner());
        User u = new User(7, 8, 9, "f", "n");
        assertEquals(7L, m.byName("UID").get(new UserReply(u)));
        assertEquals(0L, m.byName("UID").get(new UserReply(null)), "nil embedded reads as zero");
        assertEquals("", m.byName("Uface").get(new UserReply(null)));

        UserReply built = (UserReply) m.builder().set(m.byName("UID"), 7L).set(m.byName("UserName"), "n").build();
        assertEquals(new UserReply(new User(7, 0, 0, "", "n")), built);
        assertEquals(new UserReply(new User(0, 0, 0, "", "")), m.builder().build(), "unset embedded is zero");

        StructModel d = StructModel.of(Deep.class);
        assertEquals(List.of("UID", "AddTime", "UserType", "Uface", "UserName", "Extra"),
                d.properties().stream().map(StructModel.Property::name).toList());
        assertEquals(2, d.byName("UID").depth());
        Deep deep = (Deep) d.builder().set(d.byName("UID"), 5L).set(d.byName("Extra"), 6).build();
        assertEquals(new Deep(new UserReply(new User(5, 0, 0, "", "")), 6), deep);
        assertEquals(5L, d.byName("UID").get(deep));
        assertTrue(d.builder().set(d.byName("UID"), 5L).isSet(d.byName("UID")));
        assertFalse(d.builder().set(d.byName("UID"), 5L).isSet(d.byName("Uface")));
    }

    @Test
    void shallowerPropertyHidesEmbeddedOne() {
        StructModel m = StructModel.of(Shadow.class);
        assertEquals(List.of("Id", "Name"), m.properties().stream().map(StructModel.Property::name).toList());
        assertEquals(0, m.byName("Name").depth());
        assertEquals("outer", m.byName("Name").get(new Shadow(new Base(1, "inner"), "outer")));
        Shadow s = (Shadow) m.builder().set(m.byName("Name"), "x").set(m.byName("Id"), 3).build();
        assertEquals(new Shadow(new Base(3, ""), "x"), s, "the hidden property gets its zero value");
    }

    @Test
    void nameClashesAndBadDeclarationsAreReported() {
        CodecException same = assertThrows(CodecException.class, () -> StructModel.of(SameDepth.class));
        assertTrue(same.getMessage().contains("\"Id\""), same.getMessage());
        assertTrue(same.getMessage().contains("Clash1.id") && same.getMessage().contains("Clash2.id"),
                same.getMessage());
        CodecException twice = assertThrows(CodecException.class, () -> StructModel.of(Twice.class));
        assertTrue(twice.getMessage().contains("\"X\""), twice.getMessage());
        CodecException self = assertThrows(CodecException.class, () -> StructModel.of(SelfEmbed.class));
        assertTrue(self.getMessage().contains("embeds itself"), self.getMessage());
        CodecException embed = assertThrows(CodecException.class, () -> StructModel.of(BadEmbed.class));
        assertTrue(embed.getMessage().contains("not a struct"), embed.getMessage());
        CodecException gt = assertThrows(CodecException.class, () -> StructModel.of(BadGoType.class));
        assertTrue(gt.getMessage().contains("BadGoType.s"), gt.getMessage());
        CodecException ft = assertThrows(CodecException.class, () -> StructModel.of(FloatAsInt.class));
        assertTrue(ft.getMessage().contains("FloatAsInt.d"), ft.getMessage());
        CodecException fin = assertThrows(CodecException.class, () -> StructModel.of(FinalFieldPojo.class));
        assertTrue(fin.getMessage().contains("FinalFieldPojo.x") && fin.getMessage().contains("final"),
                fin.getMessage());
        CodecException notStruct = assertThrows(CodecException.class, () -> StructModel.of(String.class));
        assertTrue(notStruct.getMessage().contains("java.lang.String is not a struct"), notStruct.getMessage());
        assertThrows(CodecException.class, () -> StructModel.of(SameDepth.class), "failures are remembered");
    }

    @Test
    void jsonTagOptions() {
        StructModel m = StructModel.of(JsonTags.class);
        assertEquals("a", m.byName("A").jsonName());
        assertTrue(m.byName("A").jsonOmitEmpty());
        assertNull(m.byName("Hidden").jsonName());
        assertNull(m.byJsonName("Hidden"));
        assertNull(m.byJsonName("hidden"));
        assertEquals("Plain", m.byName("Plain").jsonName());
        assertFalse(m.byName("Plain").jsonOmitEmpty());
    }

    @Test
    void pojosUseGettersSettersOrFields() {
        StructModel m = StructModel.of(Pojo.class);
        assertEquals(List.of("Name", "Count", "Secret", "Flag"),
                m.properties().stream().map(StructModel.Property::name).toList());
        Pojo p = (Pojo) m.builder().set(m.byName("Name"), "n").set(m.byName("Count"), 3)
                .set(m.byName("Secret"), 9L).set(m.byName("Flag"), true).build();
        assertEquals("n", p.getName());
        assertEquals(3, p.count);
        assertEquals(9L, p.secret());
        assertTrue(p.isEnabled());
        assertEquals("n", m.byName("Name").get(p));
        assertEquals(9L, m.byName("Secret").get(p));
        assertEquals(GoType.INT64, m.byName("Secret").goType());

        StructModel sub = StructModel.of(SubPojo.class);
        assertEquals(List.of("Name", "Count", "Secret", "Flag", "Extra"),
                sub.properties().stream().map(StructModel.Property::name).toList());
        SubPojo sp = (SubPojo) sub.builder().set(sub.byName("Extra"), "e").set(sub.byName("Count"), 1).build();
        assertEquals("e", sp.extra);
        assertEquals(1, sp.count);
        assertEquals("", sp.getName(), "unset property is Go zero");
    }

    @Test
    void emptyAndGenericStructs() {
        assertTrue(StructModel.of(Empty.class).properties().isEmpty());
        assertEquals(new Empty(), StructModel.of(Empty.class).builder().build());
        StructModel g = StructModel.of(Generic.class);
        assertEquals(List.class, g.byName("Items").rawType());
        assertEquals("java.util.List<T>", g.byName("Items").genericType().getTypeName());
    }

    @Test
    void rawClassResolvesGenericTypes() throws Exception {
        Type listOfInner = Outer.class.getRecordComponents()[1].getGenericType();
        assertEquals(List.class, StructModel.rawClass(listOfInner));
        Type t = Generic.class.getRecordComponents()[0].getGenericType();
        assertEquals(List.class, StructModel.rawClass(t));
        assertEquals(Object.class, StructModel.rawClass(Generic.class.getTypeParameters()[0]));
        assertThrows(IllegalArgumentException.class, () -> StructModel.rawClass(null));
    }

    @Test
    void toStringNamesTheProperties() {
        String s = StructModel.of(User.class).toString();
        assertTrue(s.contains("UID:long(INT64)"), s);
        assertTrue(s.contains("UserType:int(INT32)"), s);
        assertTrue(StructModel.of(User.class).byName("UID").toString().contains("json:id"));
    }
}
