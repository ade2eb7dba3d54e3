package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MenuLoaderTest {
    private final Menu menu = TestMenus.TONYS;

    @Test
    void bundledMenuHasEveryCategoryAndEnoughItems() {
        assertThat(menu.restaurant()).isEqualTo("Tony's Pizza");
        assertThat(menu.categories()).extracting(Category::id)
                .containsExactly("pizzas", "burgers", "sides", "drinks", "desserts", "combos");
        assertThat(menu.items()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(menu.items()).allSatisfy(i -> {
            assertThat(i.sizes()).isNotEmpty();
            assertThat(i.sizes()).allSatisfy(s -> assertThat(s.priceCents()).isPositive());
            assertThat(i.description()).isNotBlank();
        });
    }

    @Test
    void sizesPricesAndDefaults() {
        MenuItem pepperoni = menu.item("pepperoni_pizza").orElseThrow();
        assertThat(pepperoni.sizes()).containsExactly(new SizePrice("small", 1199), new SizePrice("medium", 1499),
                new SizePrice("large", 1799));
        assertThat(pepperoni.needsSizeChoice()).isTrue();
        MenuItem coke = menu.item("coke").orElseThrow();
        assertThat(coke.needsSizeChoice()).isFalse();
        assertThat(coke.implicitSize()).contains("medium");
        assertThat(menu.item("garlic_knots").orElseThrow().implicitSize()).contains("regular");
    }

    @Test
    void findsItemsByAliasPluralAndId() {
        assertThat(menu.find("pepperonis")).map(MenuItem::id).contains("pepperoni_pizza");
        assertThat(menu.find("pepperoni")).map(MenuItem::id).contains("pepperoni_pizza");
        assertThat(menu.find("Coca-Cola")).map(MenuItem::id).contains("coke");
        assertThat(menu.find("french fries")).map(MenuItem::id).contains("french_fries");
        assertThat(menu.find("fries")).map(MenuItem::id).contains("french_fries");
        assertThat(menu.find("diet_coke")).map(MenuItem::id).contains("diet_coke");
        assertThat(menu.find("the supreme")).map(MenuItem::id).contains("supreme_pizza");
        assertThat(menu.find("tacos")).isEmpty();
    }

    @Test
    void findsModifiersByAlias() {
        assertThat(menu.findModifier("without onions")).map(Modifier::id).contains("no_onions");
        assertThat(menu.findModifier("no onion")).map(Modifier::id).contains("no_onions");
        assertThat(menu.findModifier("extra cheese")).map(Modifier::priceCents).contains(150L);
        assertThat(menu.findModifier("with bacon")).map(Modifier::id).contains("add_bacon");
    }

    @Test
    void categoryModifiersApplyUnlessTheItemOverrides() {
        assertThat(menu.item("supreme_pizza").orElseThrow().allows("extra_cheese")).isTrue();
        assertThat(menu.item("chicken_sandwich").orElseThrow().allows("no_tomato")).isFalse();
        assertThat(menu.item("chicken_sandwich").orElseThrow().allows("buffalo_sauce")).isTrue();
        assertThat(menu.item("burger_combo").orElseThrow().includes())
                .containsExactly("classic_burger", "french_fries", "coke");
    }

    @Test
    void reportsEveryProblemOfAnInvalidMenu() {
        String json = """
                {"restaurant":"Bad","modifiers":[{"id":"m1","name":"no onions","price":0}],
                 "categories":[{"id":"c","name":"c","items":[
                   {"id":"a","name":"thing","sizes":{"small":100},"defaultSize":"large","description":"x","modifiers":["nope"]},
                   {"id":"a","name":"other","aliases":["thing"],"sizes":{"small":0},"description":"y"}
                 ]}]}""";

        assertThatThrownBy(() -> MenuLoader.parse(json))
                .isInstanceOf(MenuException.class)
                .hasMessageContaining("default size large is not offered")
                .hasMessageContaining("unknown modifier nope")
                .hasMessageContaining("duplicate item id: a")
                .hasMessageContaining("price must be a whole number of cents > 0");
    }

    @Test
    void aliasNamingTwoItemsIsRejected() {
        String json = """
                {"restaurant":"Bad","modifiers":[],"categories":[{"id":"c","name":"c","items":[
                   {"id":"a","name":"soda","sizes":{"regular":100},"description":"x"},
                   {"id":"b","name":"pop","aliases":["sodas"],"sizes":{"regular":100},"description":"y"}]}]}""";

        assertThatThrownBy(() -> MenuLoader.parse(json)).isInstanceOf(MenuException.class)
                .hasMessageContaining("'sodas' names both a and b");
    }

    @Test
    void notJsonIsAMenuException() {
        assertThatThrownBy(() -> MenuLoader.read(new ByteArrayInputStream("{oops".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(MenuException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void fractionalPricesAreRejected() {
        String json = """
                {"restaurant":"R","modifiers":[],"categories":[{"id":"c","name":"c","items":[
                   {"id":"a","name":"soda","sizes":{"regular":1.5},"description":"x"}]}]}""";

        assertThatThrownBy(() -> MenuLoader.parse(json)).hasMessageContaining("whole number of cents");
    }
}
