package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.spi.ChatMessage;
import org.junit.jupiter.api.Test;

/** Whole conversations: caller words → engine → real tools → in-memory carts; the final cart is asserted exactly. */
class OrderEngineConversationTest {
    private final EngineHarness call = EngineHarness.tonys();

    @Test
    void severalItemsInOneRecognisedSentence() {
        var turn = call.say("i would like two large pepperoni pizzas and a diet coke");

        assertThat(turn.toolNames()).containsExactly("add_item", "add_item");
        assertThat(call.lines()).containsExactly("2 large pepperoni_pizza", "1 medium diet_coke");
        assertThat(turn.text()).isEqualTo("Two large pepperoni pizzas and a medium diet coke. Anything else?");
        assertThat(turn.deltas()).hasSizeGreaterThan(2);
        assertThat(call.cart().totalCents()).isEqualTo(2 * 1799 + 249);
    }

    @Test
    void digitsAndMissingArticles() {
        call.say("3 medium cheese pizzas");
        call.say("large coke");

        assertThat(call.lines()).containsExactly("3 medium cheese_pizza", "1 large coke");
    }

    @Test
    void asksForTheSizeWhenAPizzaHasNoneAndAddsNothingUntilAnswered() {
        var question = call.say("can i get a pepperoni pizza and a sprite");

        assertThat(question.calls()).isEmpty();
        assertThat(question.text()).isEqualTo("What size would you like for the pepperoni pizza: small, medium or large?");
        assertThat(call.cart().lines()).isEmpty();

        var answer = call.say("large");

        assertThat(call.lines()).containsExactly("1 large pepperoni_pizza", "1 medium sprite");
        assertThat(answer.text()).isEqualTo("A large pepperoni pizza and a medium sprite. Anything else?");
    }

    @Test
    void oneSizeAnswerCoversEveryItemThatNeededOne() {
        call.say("two pepperoni pizzas and a veggie pizza");
        call.say("medium please");

        assertThat(call.lines()).containsExactly("2 medium pepperoni_pizza", "1 medium veggie_pizza");
    }

    @Test
    void modifiersAttachToTheirOwnItems() {
        call.say("a large supreme pizza with no onions and extra cheese and a cheeseburger with bacon");

        assertThat(call.lines()).containsExactly(
                "1 large supreme_pizza [no_onions, extra_cheese]", "1 regular cheeseburger [add_bacon]");
        assertThat(call.cart().totalCents()).isEqualTo(1999 + 150 + 999 + 200);
    }

    @Test
    void correctionChangesTheQuantityOfTheLastItem() {
        call.say("a large pepperoni pizza");
        var turn = call.say("actually make that three");

        assertThat(turn.toolNames()).containsExactly("update_item");
        assertThat(call.lines()).containsExactly("3 large pepperoni_pizza");
        assertThat(turn.text()).isEqualTo("Okay, that's now three large pepperoni pizzas. Anything else?");
    }

    @Test
    void correctionChangesTheSizeOfTheNamedCategory() {
        call.say("a large hawaiian pizza and a coke");
        call.say("make the pizza a medium");

        assertThat(call.lines()).containsExactly("1 medium hawaiian_pizza", "1 medium coke");
        assertThat(call.cart().totalCents()).isEqualTo(1549 + 249);
    }

    @Test
    void correctionReplacesAnItemSaidInstead() {
        call.say("a burger and a coke");
        var turn = call.say("actually make that a sprite instead");

        assertThat(call.lines()).containsExactly("1 regular classic_burger", "1 medium sprite");
        assertThat(turn.text()).isEqualTo("Okay, a medium sprite instead of the coke. Anything else?");
    }

    @Test
    void addingAModifierToAnItemAlreadyOrdered() {
        call.say("a classic burger and fries");
        call.say("add bacon to the burger");

        assertThat(call.lines()).containsExactly("1 regular classic_burger [add_bacon]", "1 regular french_fries");
    }

    @Test
    void removalByName() {
        call.say("two cheeseburgers fries and a coke");
        var turn = call.say("cancel the fries");

        assertThat(turn.toolNames()).containsExactly("remove_item");
        assertThat(call.lines()).containsExactly("2 regular cheeseburger", "1 medium coke");
        assertThat(turn.text()).isEqualTo("Okay, I removed the fries. Anything else?");
    }

    @Test
    void removingSomethingNotOrderedSaysSoAndChangesNothing() {
        call.say("a brownie");
        var turn = call.say("remove the coke");

        assertThat(call.lines()).containsExactly("1 regular brownie");
        assertThat(turn.text()).startsWith("There is no coke in your order.");
    }

    @Test
    void priceQuestionWithSize() {
        var turn = call.say("how much is a large veggie pizza");

        assertThat(turn.toolNames()).containsExactly("search_menu");
        assertThat(turn.text()).isEqualTo("A large veggie pizza is eighteen dollars and forty nine cents.");
        assertThat(call.cart().lines()).isEmpty();
    }

    @Test
    void ingredientsQuestion() {
        var turn = call.say("what comes on the supreme");

        assertThat(turn.text()).isEqualTo(
                "The supreme pizza comes with pepperoni, sausage, green peppers, onions, mushrooms and black olives.");
    }

    @Test
    void categoryQuestion() {
        var turn = call.say("what drinks do you have");

        assertThat(turn.text()).isEqualTo(
                "For drinks we have coke, diet coke, sprite, root beer, lemonade, iced tea and bottled water.");
    }

    @Test
    void unknownItemIsReportedNotGuessed() {
        var turn = call.say("do you have tacos");

        assertThat(turn.text()).startsWith("Sorry, we don't have that on the menu.");
    }

    @Test
    void fullReadBackAndConfirmation() {
        call.say("hi");
        call.say("i'd like a medium pepperoni pizza and garlic knots");
        var readBack = call.say("no that's it");

        assertThat(readBack.toolNames()).containsExactly("view_cart");
        assertThat(readBack.text()).isEqualTo("You have a medium pepperoni pizza and garlic knots. Your total is"
                + " nineteen dollars and ninety eight cents. Shall I place the order?");

        var confirmed = call.say("yes that's correct");

        assertThat(confirmed.toolNames()).containsExactly("confirm_order");
        assertThat(call.cart().confirmed()).isTrue();
        assertThat(confirmed.text()).contains("your order is placed").contains("Your order number is");
        assertThat(call.lines()).containsExactly("1 medium pepperoni_pizza", "1 regular garlic_knots");
    }

    @Test
    void noAfterReadBackAsksWhatToChangeAndNothingIsConfirmed() {
        call.say("a small cheese pizza");
        call.say("that's all");
        var turn = call.say("no");

        assertThat(turn.text()).isEqualTo("No problem. What would you like to change?");
        call.say("make it a large");
        call.say("that's it");
        call.say("yes");

        assertThat(call.cart().confirmed()).isTrue();
        assertThat(call.lines()).containsExactly("1 large cheese_pizza");
    }

    @Test
    void noAfterAnythingElseReadsBack() {
        call.say("a root beer");
        var turn = call.say("no");

        assertThat(turn.toolNames()).containsExactly("view_cart");
        assertThat(turn.text()).endsWith("Shall I place the order?");
    }

    @Test
    void handoffCallsTransfer() {
        var turn = call.say("can i talk to a real person");

        assertThat(turn.toolNames()).containsExactly("transfer_to_human");
        assertThat(call.transfers).containsExactly("caller asked for a person");
        assertThat(turn.text()).startsWith("Sure, I'll connect you");
    }

    @Test
    void greetingIsAnsweredWithoutTools() {
        var turn = call.say("hello");

        assertThat(turn.calls()).isEmpty();
        assertThat(turn.text()).isEqualTo("Hi, thanks for calling Tony's Pizza! What can I get for you?");
    }

    @Test
    void keysConfirmAfterReadBack() {
        call.say("a chicken sandwich combo");
        call.say("that's everything");
        var turn = call.press("1");

        assertThat(turn.toolNames()).containsExactly("confirm_order");
        assertThat(call.cart().confirmed()).isTrue();
    }

    @Test
    void keyZeroAsksForAPerson() {
        call.press("0");

        assertThat(call.transfers).hasSize(1);
    }

    @Test
    void interruptedReadBackIsNotAConfirmationQuestion() {
        call.say("a tiramisu");
        call.say("that's all");
        call.interruptLastReply("You have a tiramisu.");
        var turn = call.say("yes");

        assertThat(turn.calls()).isEmpty();
        assertThat(call.cart().confirmed()).isFalse();
    }

    @Test
    void cancelledToolResultGetsAnApologyNotACrash() {
        call.add(new ChatMessage.User("what comes on the veggie pizza"));
        call.add(new ChatMessage.Assistant("", java.util.List.of(new dev.parley.spi.ToolCall("c1", "search_menu",
                "{\"query\":\"veggie pizza\"}")), false));
        call.add(new ChatMessage.ToolResult("c1", "search_menu", "cancelled"));
        var turn = call.respond();

        assertThat(turn.text()).isEqualTo("Sorry, I couldn't finish that. Could you say it again?");
    }

    @Test
    void itemsAndThatsAllInOneBreathReadsBack() {
        var turn = call.say("two iced teas and a cheesecake that's all");

        assertThat(call.lines()).containsExactly("2 medium iced_tea", "1 regular cheesecake");
        assertThat(turn.text()).endsWith("Shall I place the order?");
        call.say("yes please");
        assertThat(call.cart().confirmed()).isTrue();
    }

    @Test
    void quantityOutOfRangeIsRelayed() {
        var turn = call.say("twenty five cokes");

        assertThat(call.cart().lines()).isEmpty();
        assertThat(turn.text()).isEqualTo("I can take between one and twenty of each item. Anything else?");
    }

    @Test
    void vagueCategoryAsksWhichOne() {
        var turn = call.say("i want a pizza");

        assertThat(turn.calls()).isEmpty();
        assertThat(turn.text()).startsWith("Sure, which pizza would you like? We have cheese pizza, pepperoni pizza");
    }

    @Test
    void wingsNeedASizeToo() {
        call.say("an order of wings with ranch");
        call.say("small");

        assertThat(call.lines()).containsExactly("1 small chicken_wings [side_of_ranch]");
    }

    @Test
    void comboWithADrinkChoice() {
        call.say("a burger combo with a diet coke");

        assertThat(call.lines()).containsExactly("1 regular burger_combo [combo_diet_coke]");
    }

    @Test
    void startOverEmptiesTheCart() {
        call.say("a large meat lovers pizza and two brownies");
        var turn = call.say("cancel my order");

        assertThat(turn.toolNames()).containsExactly("remove_item", "remove_item");
        assertThat(call.cart().lines()).isEmpty();
    }

    @Test
    void addingAfterConfirmationIsRefused() {
        call.say("a lemonade");
        call.say("that's all");
        call.say("yes");
        var turn = call.say("and a cookie");

        assertThat(call.lines()).containsExactly("1 medium lemonade");
        assertThat(turn.text()).startsWith("This order has already been placed");
    }
}
