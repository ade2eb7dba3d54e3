package dev.parley.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyException;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.ToolCall;
import dev.parley.spi.WordTiming;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    enum Mode { FAST, SLOW { @Override public String toString() { return "slow"; } } }

    record Inner(String name, Optional<Inner> next) {}

    sealed interface Event {
        record Started(String id, Instant at, Duration delay) implements Event {}

        record Numbers(int i, long l, double d, float f, boolean b, short s, byte by, char c,
                Integer boxedI, Long boxedL, Double boxedD, Float boxedF, Boolean boxedB) implements Event {}

        record Containers(List<String> names, Map<String, Integer> counts, List<List<Mode>> grid,
                Map<String, List<Duration>> timings) implements Event {}

        record Optionals(Optional<String> note, Optional<Duration> pause, Optional<Inner> inner,
                List<Optional<Long>> maybe) implements Event {}

        record Audio(short[] samples, byte[] bytes) implements Event {
            @Override
            public boolean equals(Object o) {
                return o instanceof Audio a && Arrays.equals(a.samples, samples) && Arrays.equals(a.bytes, bytes);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(samples) * 31 + Arrays.hashCode(bytes);
            }
        }

        record Nested(Inner inner, Event child, List<Event> children, Mode mode) implements Event {}

        record Raw(Object payload, Map<String, Object> extra) implements Event {}

        record Positive(int value) implements Event {
            public Positive {
                if (value <= 0) {
                    throw new IllegalArgumentException("value must be positive");
                }
            }
        }

        sealed interface Sub extends Event {
            record Leaf(Mode mode) implements Sub {}

            record Empty() implements Sub {}
        }
    }

    record Holder(List<Event> events, Map<String, Event> byName, Optional<Event> last) {}

    private static final Type EVENT_LIST = Holder.class.getRecordComponents()[0].getGenericType();

    private static final Inner CHAIN = new Inner("a", Optional.of(new Inner("b", Optional.empty())));

    private static List<Event> samples() {
        return List.of(
                new Event.Started("call-1", Instant.parse("2025-01-02T03:04:05.123456789Z"), Duration.ofMillis(250)),
                new Event.Numbers(-7, Long.MIN_VALUE, 0.1, 0.1f, true, (short) -300, (byte) 127, 'é',
                        Integer.MAX_VALUE, Long.MAX_VALUE, -1e300, Float.MAX_VALUE, false),
                new Event.Numbers(0, 0, Double.NaN, Float.NEGATIVE_INFINITY, false, (short) 0, (byte) 0, '"',
                        0, 0L, Double.POSITIVE_INFINITY, 1.5f, true),
                new Event.Containers(List.of("x", "ÿ😀"), Map.of("one", 1, "two", 2, "three", 3),
                        List.of(List.of(Mode.FAST, Mode.SLOW), List.of()), Map.of("t", List.of(Duration.ofNanos(1), Duration.ZERO))),
                new Event.Optionals(Optional.of("note"), Optional.of(Duration.ofMinutes(2)), Optional.of(CHAIN),
                        List.of(Optional.of(1L), Optional.empty(), Optional.of(-3L))),
                new Event.Optionals(Optional.empty(), Optional.empty(), Optional.empty(), List.of()),
                new Event.Audio(new short[] {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE}, new byte[] {1, 2, (byte) 0xff}),
                new Event.Audio(new short[0], new byte[0]),
                new Event.Nested(CHAIN, new Event.Sub.Leaf(Mode.SLOW),
                        List.of(new Event.Sub.Empty(), new Event.Positive(3)), Mode.FAST),
                new Event.Raw(List.of(1L, "two", Map.of("three", 3.0), Json.NULL), Map.of("k", true)),
                new Event.Positive(1),
                new Event.Sub.Leaf(Mode.FAST),
                new Event.Sub.Empty());
    }

    @Test
    void roundTripsEverySupportedType() {
        for (Event event : samples()) {
            String json = RecordJson.write(event);
            assertThat(RecordJson.read(json, Event.class)).as(json).isEqualTo(event);
            assertThat(RecordJson.<Event>fromJson(RecordJson.toJson(event), Event.class)).isEqualTo(event);
            assertThat(RecordJson.read(json, event.getClass())).isEqualTo(event);
            assertThat(RecordJson.write(RecordJson.read(json, Event.class))).isEqualTo(json);
        }
        Holder holder = new Holder(samples(), Map.of("first", samples().getFirst()), Optional.of(new Event.Sub.Empty()));
        assertThat(RecordJson.read(RecordJson.write(holder), Holder.class)).isEqualTo(holder);
        List<Event> list = RecordJson.read(RecordJson.write(samples(), EVENT_LIST), EVENT_LIST);
        assertThat(list).isEqualTo(samples());
    }

    @Test
    void writesTheDocumentedForm() {
        assertThat(RecordJson.write(samples().getFirst())).isEqualTo(
                "{\"type\":\"Started\",\"id\":\"call-1\",\"at\":\"2025-01-02T03:04:05.123456789Z\",\"delay\":\"PT0.25S\"}");
        assertThat(RecordJson.write(samples().get(2))).isEqualTo("{\"type\":\"Numbers\",\"i\":0,\"l\":0,\"d\":\"NaN\","
                + "\"f\":\"-Infinity\",\"b\":false,\"s\":0,\"by\":0,\"c\":\"\\\"\",\"boxedI\":0,\"boxedL\":0,"
                + "\"boxedD\":\"Infinity\",\"boxedF\":1.5,\"boxedB\":true}");
        // unordered maps are written in key order; empty optionals are left out; non-sealed records get no type
        assertThat(RecordJson.write(samples().get(3))).contains("\"counts\":{\"one\":1,\"three\":3,\"two\":2}");
        assertThat(RecordJson.write(samples().get(5))).isEqualTo("{\"type\":\"Optionals\",\"maybe\":[]}");
        assertThat(RecordJson.write(CHAIN)).isEqualTo("{\"name\":\"a\",\"next\":{\"name\":\"b\"}}");
        assertThat(RecordJson.write(samples().get(6))).contains("\"samples\":\"AAABAP///38AgA==\",\"bytes\":\"AQL/\"");
        assertThat(RecordJson.write(new Event.Sub.Leaf(Mode.SLOW))).isEqualTo("{\"type\":\"Leaf\",\"mode\":\"SLOW\"}");
        List<Optional<Long>> maybe = List.of(Optional.of(1L), Optional.empty());
        assertThat(RecordJson.write(maybe)).isEqualTo("[1,null]");
    }

    @Test
    void readsAbsentOrNullOptionalsAsEmptyAndIgnoresUnknownProperties() {
        Event.Optionals expected = new Event.Optionals(Optional.empty(), Optional.of(Duration.ofSeconds(1)), Optional.empty(), List.of());
        assertThat(RecordJson.read("{\"type\":\"Optionals\",\"note\":null,\"pause\":\"PT1S\",\"maybe\":[],\"extra\":[1,2]}",
                Event.class)).isEqualTo(expected);
        assertThat(RecordJson.read("{\"pause\":\"PT1S\",\"maybe\":[]}", Event.Optionals.class)).isEqualTo(expected);
        assertThat(RecordJson.read("{\"i\":3,\"l\":4.0,\"d\":5,\"f\":6,\"b\":true,\"s\":1,\"by\":2,\"c\":\"x\",\"boxedI\":1,"
                + "\"boxedL\":2,\"boxedD\":3,\"boxedF\":4,\"boxedB\":false}", Event.Numbers.class))
                .isEqualTo(new Event.Numbers(3, 4, 5, 6, true, (short) 1, (byte) 2, 'x', 1, 2L, 3.0, 4f, false));
    }

    @Test
    void resolvesNestedSealedHierarchies() {
        assertThat(RecordJson.read("{\"type\":\"Leaf\",\"mode\":\"FAST\"}", Event.class)).isEqualTo(new Event.Sub.Leaf(Mode.FAST));
        assertThat(RecordJson.read("{\"type\":\"Empty\"}", Event.Sub.class)).isEqualTo(new Event.Sub.Empty());
        assertThatThrownBy(() -> RecordJson.read("{\"type\":\"Started\"}", Event.Sub.class))
                .hasMessage("at $: unknown type \"Started\" for Sub (known: Empty, Leaf)");
    }

    @Test
    void encodesTheSpiMessageHierarchy() {
        List<ChatMessage> history = List.of(new ChatMessage.System("be brief"), new ChatMessage.User("hi"),
                new ChatMessage.Assistant("let me check", List.of(new ToolCall("c1", "lookup", "{\"q\":1}")), true),
                new ChatMessage.ToolResult("c1", "lookup", "42"));
        String json = RecordJson.write(history);
        assertThat(json).startsWith("[{\"type\":\"System\",\"text\":\"be brief\"},{\"type\":\"User\"");
        Type type = Holder2.class.getRecordComponents()[0].getGenericType();
        assertThat(RecordJson.<List<ChatMessage>>read(json, type)).isEqualTo(history);
    }

    record Holder2(List<ChatMessage> messages) {}

    @Test
    void errorsNameThePath() {
        assertThatThrownBy(() -> RecordJson.read("{\"type\":\"Nope\"}", Event.class)).isInstanceOf(ParleyException.class)
                .hasMessageStartingWith("at $: unknown type \"Nope\" for Event (known: Audio, Containers, Empty, Leaf,");
        assertThatThrownBy(() -> RecordJson.read("{\"mode\":\"FAST\"}", Event.class))
                .hasMessage("at $: missing \"type\" for Event");
        String nested = "{\"type\":\"Nested\",\"inner\":{\"name\":\"a\"},\"child\":{\"type\":\"Empty\"},\"mode\":\"FAST\","
                + "\"children\":[{\"type\":\"Empty\"},{\"type\":\"Leaf\",\"mode\":\"MEDIUM\"}]}";
        assertThatThrownBy(() -> RecordJson.read(nested, Event.class))
                .hasMessage("at $.children[1].mode: expected a constant of Mode, got string \"MEDIUM\"");
        assertThatThrownBy(() -> RecordJson.read(nested.replace("{\"name\":\"a\"}", "{}"), Event.class))
                .hasMessage("at $.inner.name: missing field of Inner");
        assertThatThrownBy(() -> RecordJson.read("{\"events\":[],\"byName\":{\"x\":{\"type\":\"Positive\",\"value\":5e10}}}", Holder.class))
                .hasMessage("at $.byName[\"x\"].value: expected an int, got Double 5.0E10");
        assertThatThrownBy(() -> RecordJson.read("{\"type\":\"Positive\",\"value\":-1}", Event.class))
                .hasMessage("at $: invalid Positive: value must be positive").hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordJson.read("{\"type\":\"Leaf\",\"mode\":\"FAST\"}", Event.Sub.Empty.class))
                .hasMessage("at $: \"type\" is \"Leaf\", expected \"Empty\"");
        assertThatThrownBy(() -> RecordJson.read("{\"type\":\"Started\",\"id\":\"x\",\"at\":\"yesterday\",\"delay\":\"PT1S\"}", Event.class))
                .hasMessage("at $.at: expected an ISO-8601 instant, got string \"yesterday\"");
        assertThatThrownBy(() -> RecordJson.read("{\"word\":\"hi\",\"start\":\"PT1S\",\"end\":\"PT0S\"}", WordTiming.class))
                .hasMessage("at $: invalid WordTiming: word ends before it starts: hi");
        assertThatThrownBy(() -> RecordJson.read("[1]", Event.class)).hasMessage("at $: expected an object, got an array");
    }

    @Test
    void encodingErrorsNameThePath() {
        Event bad = new Event.Raw(Map.of("k", List.of(1, new Object())), Map.of());
        assertThatThrownBy(() -> RecordJson.write(bad)).isInstanceOf(ParleyException.class)
                .hasMessage("at $.payload[\"k\"][1]: unsupported type java.lang.Object");
        assertThatThrownBy(() -> RecordJson.write(new Inner("x", null))).hasMessage("at $.next: null value (use Optional for absent values)");
        assertThatThrownBy(() -> RecordJson.write("text", EVENT_LIST)).hasMessageContaining("at $: expected");
    }

    record BadComponent(Thread thread) {}

    sealed interface Clash {
        record Same(int a) implements Clash {}

        sealed interface Other extends Clash {
            record Same(int b) implements Other {}
        }
    }

    sealed interface Typed {
        record WithType(String type) implements Typed {}
    }

    @Test
    void rejectsUnsupportedShapes() {
        assertThatThrownBy(() -> RecordJson.write(new BadComponent(Thread.currentThread())))
                .hasMessageContaining("unsupported type java.lang.Thread of " + BadComponent.class.getName() + ".thread");
        assertThatThrownBy(() -> RecordJson.read("{\"type\":\"Same\",\"a\":1}", Clash.class))
                .hasMessageContaining("two records named Same");
        assertThatThrownBy(() -> RecordJson.write(new Typed.WithType("x"))).hasMessageContaining("component named \"type\"");
    }

    @Test
    void dynamicConversionNormalisesNumbers() {
        assertThat(RecordJson.toJson(Map.of("i", 1, "f", 0.5f, "mode", Mode.SLOW, "d", Duration.ofMinutes(1))))
                .isEqualTo(Map.of("i", 1L, "f", 0.5, "mode", "SLOW", "d", "PT1M"));
        assertThat(RecordJson.toJson(Optional.empty())).isEqualTo(Json.NULL);
    }
}
