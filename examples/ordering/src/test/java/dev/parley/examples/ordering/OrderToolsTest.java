package dev.parley.examples.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.spi.Tool;
import dev.parley.spi.ToolPolicy;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OrderToolsTest {
    private final InMemoryCartStore carts = new InMemoryCartStore();
    private final EngineHarness call = new EngineHarness(TestMenus.TONYS, carts, OrderEngine.offline(TestMenus.TONYS), "CA1");
    private final Map<String, Tool> tools = OrderTools.create(TestMenus.TONYS, carts).stream()
            .collect(Collectors.toMap(Tool::name, Function.identity()));
    private int next;

    private JsonNode run(String tool, String args) {
        return run(tool, args, "t" + (++next));
    }

    private JsonNode run(String tool, String args, String toolCallId) {
        try {
            return ToolJson.MAPPER.readTree(tools.get(tool).handler().invoke(args, call.context(toolCallId)));
        } catch (Exception e) {
            throw new AssertionError("tool threw", e);
        }
    }

    private static String error(JsonNode result) {
        assertThat(result.path("ok").asBoolean(true)).as("ok flag of %s", result).isFalse();
        assertThat(result.path("message").asText()).isNotBlank();
        return result.path("error").asText();
    }

    @Test
    void definitionsNamePoliciesAndSchemas() throws Exception {
        assertThat(tools.keySet()).containsExactlyInAnyOrder("search_menu", "add_item", "update_item", "remove_item",
                "view_cart", "confirm_order", "transfer_to_human");
        assertThat(tools.get("search_menu").definition().policy()).isEqualTo(ToolPolicy.CANCEL_ON_BARGE_IN);
        assertThat(tools.get("view_cart").definition().policy()).isEqualTo(ToolPolicy.CANCEL_ON_BARGE_IN);
        for (String write : new String[] {"add_item", "update_item", "remove_item", "confirm_order", "transfer_to_human"}) {
            assertThat(tools.get(write).definition().policy()).as(write).isEqualTo(ToolPolicy.RUN_TO_COMPLETION);
        }
        for (Tool tool : tools.values()) {
            JsonNode schema = ToolJson.MAPPER.readTree(tool.definition().parametersSchema());
            assertThat(schema.path("type").asText()).isEqualTo("object");
            assertThat(schema.path("properties").isObject()).isTrue();
        }
        JsonNode add = ToolJson.MAPPER.readTree(tools.get("add_item").definition().parametersSchema());
        assertThat(add.path("required").toString()).isEqualTo("[\"item\",\"quantity\"]");
    }

    @Test
    void addReturnsTheLineAndTheCart() {
        JsonNode r = run("add_item", "{\"item\":\"pepperonis\",\"size\":\"large\",\"quantity\":2,\"modifiers\":[\"extra cheese\"]}");

        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("line").toString()).isEqualTo("{\"line_id\":\"L1\",\"item\":\"pepperoni_pizza\",\"name\":"
                + "\"pepperoni pizza\",\"size\":\"large\",\"quantity\":2,\"modifiers\":[\"extra cheese\"],"
                + "\"unit_price\":\"19.49\",\"line_total\":\"38.98\"}");
        assertThat(r.path("cart").path("total").asText()).isEqualTo("38.98");
        assertThat(r.path("cart").path("item_count").asInt()).isEqualTo(2);
    }

    @Test
    void sameIdempotencyKeyTwiceAddsOneLineAndAnswersTheSame() {
        String args = "{\"item\":\"coke\",\"quantity\":1}";
        JsonNode first = run("add_item", args, "same");
        run("add_item", "{\"item\":\"sprite\",\"quantity\":1}", "other");
        JsonNode again = run("add_item", args, "same");

        assertThat(again).isEqualTo(first);
        assertThat(call.lines()).containsExactly("1 medium coke", "1 medium sprite");
    }

    @Test
    void validationErrors() {
        assertThat(error(run("add_item", "{\"item\":\"tacos\",\"quantity\":1}"))).isEqualTo("unknown_item");
        assertThat(error(run("add_item", "{\"item\":\"pepperoni pizza\",\"quantity\":1}"))).isEqualTo("size_required");
        JsonNode size = run("add_item", "{\"item\":\"garlic knots\",\"size\":\"large\",\"quantity\":1}");
        assertThat(error(size)).isEqualTo("size_not_offered");
        assertThat(size.path("message").asText()).isEqualTo("The garlic knots come in one size only.");
        assertThat(error(run("add_item", "{\"item\":\"wings\",\"size\":\"medium\",\"quantity\":1}"))).isEqualTo("size_not_offered");
        assertThat(error(run("add_item", "{\"item\":\"coke\",\"quantity\":0}"))).isEqualTo("quantity_out_of_range");
        assertThat(error(run("add_item", "{\"item\":\"coke\",\"quantity\":21}"))).isEqualTo("quantity_out_of_range");
        assertThat(error(run("add_item", "{\"item\":\"coke\",\"quantity\":\"lots\"}"))).isEqualTo("bad_quantity");
        assertThat(error(run("add_item", "{\"item\":\"coke\",\"quantity\":1,\"modifiers\":[\"extra cheese\"]}")))
                .isEqualTo("modifier_not_allowed");
        assertThat(error(run("add_item", "{\"item\":\"coke\",\"quantity\":1,\"modifiers\":[\"glitter\"]}")))
                .isEqualTo("unknown_modifier");
        assertThat(error(run("add_item", "{not json"))).isEqualTo("bad_arguments");
        assertThat(error(run("add_item", "[1,2]"))).isEqualTo("bad_arguments");
        assertThat(error(run("add_item", "{}"))).isEqualTo("missing_argument");
        assertThat(carts.snapshot("cart:CA1").version()).as("no failed call wrote").isZero();
    }

    @Test
    void sizeRequiredListsTheSizesAndCategoryWordsAskWhichItem() {
        JsonNode size = run("add_item", "{\"item\":\"veggie pizza\",\"quantity\":1}");
        assertThat(size.path("sizes").toString()).isEqualTo("[\"small\",\"medium\",\"large\"]");
        JsonNode which = run("add_item", "{\"item\":\"pizza\",\"quantity\":1}");
        assertThat(error(which)).isEqualTo("which_item");
        assertThat(which.path("options").size()).isEqualTo(8);
    }

    @Test
    void regularMeansTheDefaultSize() {
        JsonNode r = run("add_item", "{\"item\":\"sprite\",\"size\":\"regular\",\"quantity\":1}");
        assertThat(r.path("line").path("size").asText()).isEqualTo("medium");
        JsonNode big = run("add_item", "{\"item\":\"sprite\",\"size\":\"big\",\"quantity\":1}");
        assertThat(big.path("line").path("size").asText()).isEqualTo("large");
    }

    @Test
    void updateByItemAndByLine() {
        run("add_item", "{\"item\":\"cheeseburger\",\"quantity\":1}");
        run("add_item", "{\"item\":\"fries\",\"quantity\":1}");

        JsonNode q = run("update_item", "{\"item\":\"cheeseburger\",\"quantity\":3,\"modifiers\":[\"no pickles\"]}");
        assertThat(q.path("previous").path("quantity").asInt()).isEqualTo(1);
        assertThat(q.path("line").path("quantity").asInt()).isEqualTo(3);
        run("update_item", "{\"line_id\":\"L2\",\"size\":\"large\"}");

        assertThat(call.lines()).containsExactly("3 regular cheeseburger [no_pickles]", "1 large french_fries");
        assertThat(error(run("update_item", "{\"line_id\":\"L9\",\"quantity\":2}"))).isEqualTo("line_not_found");
        assertThat(error(run("update_item", "{\"item\":\"sprite\",\"quantity\":2}"))).isEqualTo("line_not_found");
        assertThat(error(run("update_item", "{\"line_id\":\"L1\"}"))).isEqualTo("nothing_to_change");
        assertThat(error(run("update_item", "{\"line_id\":\"L1\",\"size\":\"large\"}"))).isEqualTo("size_not_offered");
        assertThat(error(run("update_item", "{\"line_id\":\"L1\",\"quantity\":99}"))).isEqualTo("quantity_out_of_range");
    }

    @Test
    void removeByLineAndByCategoryWord() {
        run("add_item", "{\"item\":\"coke\",\"quantity\":1}");
        run("add_item", "{\"item\":\"cheese pizza\",\"size\":\"small\",\"quantity\":1}");
        run("add_item", "{\"item\":\"brownie\",\"quantity\":1}");

        assertThat(run("remove_item", "{\"item\":\"pizza\"}").path("line").path("item").asText()).isEqualTo("cheese_pizza");
        assertThat(run("remove_item", "{\"line_id\":\"L1\"}").path("action").asText()).isEqualTo("removed");
        assertThat(call.lines()).containsExactly("1 regular brownie");
        assertThat(error(run("remove_item", "{\"line_id\":\"L1\"}"))).isEqualTo("line_not_found");
    }

    @Test
    void confirmGivesAnOrderNumberOnceAndLocksTheCart() {
        assertThat(error(run("confirm_order", "{}"))).isEqualTo("empty_cart");
        run("add_item", "{\"item\":\"tiramisu\",\"quantity\":2}");

        JsonNode first = run("confirm_order", "{}");
        JsonNode second = run("confirm_order", "{}");

        String number = first.path("cart").path("order_number").asText();
        assertThat(number).matches("[0-9]{4}");
        assertThat(second.path("cart").path("order_number").asText()).isEqualTo(number);
        assertThat(first.path("cart").path("status").asText()).isEqualTo("confirmed");
        assertThat(error(run("add_item", "{\"item\":\"coke\",\"quantity\":1}"))).isEqualTo("order_confirmed");
        assertThat(error(run("remove_item", "{\"line_id\":\"L1\"}"))).isEqualTo("order_confirmed");
        assertThat(carts.snapshot("cart:CA1").order()).contains(number);
    }

    @Test
    void viewCartAndTransfer() {
        run("add_item", "{\"item\":\"lemonade\",\"size\":\"large\",\"quantity\":2}");
        JsonNode view = run("view_cart", "{}");
        assertThat(view.path("cart").path("total").asText()).isEqualTo("6.38");

        assertThat(run("transfer_to_human", "{\"reason\":\"wants a manager\"}").path("action").asText()).isEqualTo("transferring");
        assertThat(call.transfers).containsExactly("wants a manager");
    }

    @Test
    void searchByItemCategoryWholeMenuAndWord() {
        JsonNode supreme = run("search_menu", "{\"query\":\"the supreme\"}");
        assertThat(supreme.path("items").get(0).path("ingredients").size()).isEqualTo(6);
        assertThat(supreme.path("items").get(0).path("prices").path("large").asText()).isEqualTo("19.99");
        JsonNode drinks = run("search_menu", "{\"query\":\"drinks\"}");
        assertThat(drinks.path("category").asText()).isEqualTo("drinks");
        assertThat(drinks.path("items").size()).isEqualTo(7);
        assertThat(run("search_menu", "{\"query\":\"menu\"}").path("categories").size()).isEqualTo(6);
        JsonNode chicken = run("search_menu", "{\"query\":\"something with chicken\"}");
        assertThat(chicken.path("items").size()).isGreaterThanOrEqualTo(3);
        JsonNode tacos = run("search_menu", "{\"query\":\"tacos\"}");
        assertThat(tacos.path("items").size()).isZero();
        assertThat(tacos.path("message").asText()).contains("don't have");
    }

    @Test
    void cartIdFunctionChoosesTheCart() throws Exception {
        InMemoryCartStore store = new InMemoryCartStore();
        Map<String, Tool> byCaller = OrderTools.create(TestMenus.TONYS, store, callId -> "caller-42").stream()
                .collect(Collectors.toMap(Tool::name, Function.identity()));
        EngineHarness a = new EngineHarness(TestMenus.TONYS, store, OrderEngine.offline(TestMenus.TONYS), "first-call");
        EngineHarness b = new EngineHarness(TestMenus.TONYS, store, OrderEngine.offline(TestMenus.TONYS), "reconnected");
        byCaller.get("add_item").handler().invoke("{\"item\":\"coke\",\"quantity\":1}", a.context("x"));
        byCaller.get("add_item").handler().invoke("{\"item\":\"sprite\",\"quantity\":1}", b.context("x"));

        assertThat(store.snapshot("caller-42").lines()).hasSize(2);
        assertThat(OrderTools.defaultCartId("CA9")).isEqualTo("cart:CA9");
    }
}
