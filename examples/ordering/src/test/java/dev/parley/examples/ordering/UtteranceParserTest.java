package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.examples.ordering.Intent.ItemRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UtteranceParserTest {
    private final UtteranceParser parser = new UtteranceParser(TestMenus.TONYS);

    private List<ItemRequest> items(String text) {
        Intent intent = parser.parse(text);
        assertThat(intent).as(text).isInstanceOf(Intent.Order.class);
        return ((Intent.Order) intent).items();
    }

    @Test
    void quantitiesSizesAndItemsFromOneSentence() {
        assertThat(items("i would like two large pepperoni pizzas and a diet coke")).containsExactly(
                new ItemRequest("pepperoni_pizza", 2, true, "large", List.of()),
                new ItemRequest("diet_coke", 1, false, "", List.of()));
    }

    @Test
    void aSizeBeforeTheNextItemBelongsToIt() {
        assertThat(items("can i get a cheeseburger large fries and a sprite")).containsExactly(
                new ItemRequest("cheeseburger", 1, false, "", List.of()),
                new ItemRequest("french_fries", 0, false, "large", List.of()),
                new ItemRequest("sprite", 1, false, "", List.of()));
        assertThat(items("a coke large")).containsExactly(new ItemRequest("coke", 1, false, "large", List.of()));
    }

    @Test
    void digitsMissingArticlesAndAliases() {
        assertThat(items("3 pepperonis 2 coca colas fries")).containsExactly(
                new ItemRequest("pepperoni_pizza", 3, true, "", List.of()),
                new ItemRequest("coke", 2, true, "", List.of()),
                new ItemRequest("french_fries", 0, false, "", List.of()));
        assertThat(items("twenty one cokes")).containsExactly(new ItemRequest("coke", 21, true, "", List.of()));
        assertThat(items("two large orders of french fries")).containsExactly(
                new ItemRequest("french_fries", 2, true, "large", List.of()));
        assertThat(items("a coke large")).containsExactly(new ItemRequest("coke", 1, false, "large", List.of()));
    }

    @Test
    void modifiersGoToTheirItem() {
        assertThat(items("a large supreme with no onions and extra cheese and a burger without pickles")).containsExactly(
                new ItemRequest("supreme_pizza", 1, false, "large", List.of("no_onions", "extra_cheese")),
                new ItemRequest("classic_burger", 1, false, "", List.of("no_pickles")));
    }

    @Test
    void aDrinkAfterWithIsAComboChoiceOnlyWhereAllowed() {
        assertThat(items("a burger combo with a diet coke")).containsExactly(
                new ItemRequest("burger_combo", 1, false, "", List.of("combo_diet_coke")));
        assertThat(items("a cheeseburger with a diet coke")).extracting(ItemRequest::itemId)
                .containsExactly("cheeseburger", "diet_coke");
    }

    @Test
    void unknownModifierIsKeptAsSaidSoTheToolCanRefuseIt() {
        assertThat(items("a large cheese pizza extra anchovies")).containsExactly(
                new ItemRequest("cheese_pizza", 1, false, "large", List.of("extra anchovies")));
    }

    @Test
    void corrections() {
        assertThat(parser.parse("actually make that three"))
                .isEqualTo(new Intent.Correct(List.of(), Intent.Ref.LAST, 3, "", List.of()));
        assertThat(parser.parse("make the pizza a medium"))
                .isEqualTo(new Intent.Correct(List.of(), new Intent.Ref("", "pizzas"), 0, "medium", List.of()));
        assertThat(parser.parse("make them large")).isEqualTo(new Intent.Correct(List.of(), Intent.Ref.LAST, 0, "large", List.of()));
        assertThat(parser.parse("with extra cheese"))
                .isEqualTo(new Intent.Correct(List.of(), Intent.Ref.LAST, 0, "", List.of("extra_cheese")));
        assertThat(parser.parse("change the coke to a sprite")).isInstanceOfSatisfying(Intent.Correct.class,
                c -> assertThat(c.items()).extracting(ItemRequest::itemId).containsExactly("coke", "sprite"));
    }

    @Test
    void removals() {
        assertThat(parser.parse("cancel the fries")).isEqualTo(new Intent.Remove(List.of(new Intent.Ref("french_fries", "")), false));
        assertThat(parser.parse("i don't want the coke anymore"))
                .isEqualTo(new Intent.Remove(List.of(new Intent.Ref("coke", "")), false));
        assertThat(parser.parse("take off the pizza")).isEqualTo(new Intent.Remove(List.of(new Intent.Ref("", "pizzas")), false));
        assertThat(parser.parse("cancel my order")).isEqualTo(new Intent.Remove(List.of(), true));
        assertThat(parser.parse("start over")).isEqualTo(new Intent.Remove(List.of(), true));
    }

    @Test
    void questions() {
        assertThat(parser.parse("how much is a large veggie pizza")).isEqualTo(
                new Intent.AskPrice(List.of(new ItemRequest("veggie_pizza", 1, false, "large", List.of()))));
        assertThat(parser.parse("what comes on the supreme")).isEqualTo(new Intent.AskAbout("supreme_pizza"));
        assertThat(parser.parse("what drinks do you have")).isEqualTo(new Intent.AskCategory("drinks"));
        assertThat(parser.parse("what kind of desserts do you have")).isEqualTo(new Intent.AskCategory("desserts"));
        assertThat(parser.parse("what's on the menu")).isEqualTo(new Intent.AskMenu());
        assertThat(parser.parse("do you have tacos")).isEqualTo(new Intent.AskUnknown("tacos"));
        assertThat(parser.parse("what do i have so far")).isEqualTo(new Intent.ReadBack());
        assertThat(parser.parse("what's my total")).isEqualTo(new Intent.ReadBack());
    }

    @ParameterizedTest
    @CsvSource({
        "that's all, Done", "no that's it, Done", "nothing else, Done", "i think that's it, Done",
        "yes, Affirm", "yeah that's correct, Affirm", "sounds good, Affirm", "go ahead, Affirm",
        "no, Deny", "nope, Deny", "that's not right, Deny",
        "let me talk to a person, Human", "can i speak to a manager, Human", "representative, Human",
        "hi, Greeting", "hello is this tony's pizza, Greeting", "good evening, Greeting",
        "i want a pizza, Vague", "a large soda, Vague",
        "large, SizeAnswer", "medium please, SizeAnswer",
        "Caller pressed keys: 1, Keys",
        "the weather is nice, Unknown", "'', Unknown"
    })
    void classifies(String text, String kind) {
        assertThat(parser.parse(text).getClass().getSimpleName()).as(text).isEqualTo(kind);
    }

    @Test
    void doneCanBeAffirmative() {
        assertThat(parser.parse("yes that's all")).isEqualTo(new Intent.Done(true));
        assertThat(parser.parse("no that's all")).isEqualTo(new Intent.Done(false));
    }

    @Test
    void itemsWithThatsAllAreAnOrderThenDone() {
        assertThat(parser.parse("and a coke that's all")).isInstanceOfSatisfying(Intent.Order.class,
                o -> assertThat(o.thenDone()).isTrue());
    }

    @Test
    void keys() {
        assertThat(parser.parse("Caller pressed keys: 12#")).isEqualTo(new Intent.Keys("12#"));
    }

    @Test
    void punctuationAndCaseFromAModelOrTypedTextAreTolerated() {
        assertThat(items("Two LARGE Pepperoni Pizzas, and a Coca-Cola!")).extracting(ItemRequest::itemId)
                .containsExactly("pepperoni_pizza", "coke");
    }
}
