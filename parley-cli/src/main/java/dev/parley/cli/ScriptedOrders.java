package dev.parley.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Scripted phone orders for end-to-end tests and benchmarks: what the caller says turn by turn, and the cart that
 * must be confirmed at the end (or a handoff).
 */
public final class ScriptedOrders {
    private ScriptedOrders() {}

    /** One caller turn; {@code bargeInAfter} starts it while the agent is still answering the previous one. */
    public record Line(String text, Optional<Duration> bargeInAfter) {
        static Line say(String text) {
            return new Line(text, Optional.empty());
        }

        static Line bargeIn(String text, long afterMs) {
            return new Line(text, Optional.of(Duration.ofMillis(afterMs)));
        }
    }

    /** An expected cart line: item id, size, quantity, modifier ids (sorted). */
    public record Expected(String itemId, String size, int quantity, List<String> modifiers) {
        static Expected of(String itemId, String size, int quantity, String... modifiers) {
            return new Expected(itemId, size, quantity, List.of(modifiers).stream().sorted().toList());
        }
    }

    /** A scripted order; an empty {@code cart} with {@code handoff} means the caller asks for a person. */
    public record Order(String name, List<Line> lines, List<Expected> cart, boolean handoff) {}

    private static Order order(String name, List<Line> lines, Expected... cart) {
        return new Order(name, lines, List.of(cart), false);
    }

    public static List<Order> all() {
        return List.of(
                order("multi-item sentence", List.of(
                        Line.say("i would like two large pepperoni pizzas and a diet coke"),
                        Line.say("no that is all"),
                        Line.say("yes that is correct")),
                        Expected.of("pepperoni_pizza", "large", 2), Expected.of("diet_coke", "medium", 1)),
                order("three items at once", List.of(
                        Line.say("can i get a cheeseburger and a large fries and a sprite"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("cheeseburger", "regular", 1), Expected.of("french_fries", "large", 1),
                        Expected.of("sprite", "medium", 1)),
                order("correction of the quantity", List.of(
                        Line.say("a large pepperoni pizza"),
                        Line.say("actually make that three"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("pepperoni_pizza", "large", 3)),
                order("correction of the size", List.of(
                        Line.say("a large hawaiian pizza and a coke"),
                        Line.say("make the pizza a medium"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("hawaiian_pizza", "medium", 1), Expected.of("coke", "medium", 1)),
                order("removal", List.of(
                        Line.say("two cheeseburgers fries and a coke"),
                        Line.say("cancel the fries"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("cheeseburger", "regular", 2), Expected.of("coke", "medium", 1)),
                order("a price question first", List.of(
                        Line.say("how much is a large veggie pizza"),
                        Line.say("i will take a large veggie pizza"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("veggie_pizza", "large", 1)),
                order("a menu question first", List.of(
                        Line.say("what comes on the supreme pizza"),
                        Line.say("a medium supreme pizza please"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("supreme_pizza", "medium", 1)),
                order("modifiers", List.of(
                        Line.say("a large supreme pizza with no onions"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("supreme_pizza", "large", 1, "no_onions")),
                order("the size is asked for", List.of(
                        Line.say("a pepperoni pizza and a sprite"),
                        Line.say("large"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("pepperoni_pizza", "large", 1), Expected.of("sprite", "medium", 1)),
                order("barge-in with another item", List.of(
                        Line.say("three medium cheese pizzas"),
                        Line.bargeIn("and a brownie", 700),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("cheese_pizza", "medium", 3), Expected.of("brownie", "regular", 1)),
                order("a combo and drinks", List.of(
                        Line.say("a burger combo and two root beers"),
                        Line.say("that is all"),
                        Line.say("yes")),
                        Expected.of("burger_combo", "regular", 1), Expected.of("root_beer", "medium", 2)),
                new Order("handoff to a person", List.of(
                        Line.say("let me talk to a person")), List.of(), true));
    }
}
