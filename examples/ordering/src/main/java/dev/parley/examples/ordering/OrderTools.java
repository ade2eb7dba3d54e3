package dev.parley.examples.ordering;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.spi.Tool;
import dev.parley.spi.ToolContext;
import dev.parley.spi.ToolDefinition;
import dev.parley.spi.ToolPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order-taking tools: {@code search_menu}, {@code add_item}, {@code update_item}, {@code remove_item},
 * {@code view_cart}, {@code confirm_order} and {@code transfer_to_human}. Results are compact JSON; validation problems
 * come back as {@code {"ok":false,"error":code,"message":speakable text}}, never as exceptions. Writes use the tool
 * call's idempotency key, so a repeated call changes nothing and returns the first result.
 */
public final class OrderTools {
    public static final String SEARCH_MENU = "search_menu";
    public static final String ADD_ITEM = "add_item";
    public static final String UPDATE_ITEM = "update_item";
    public static final String REMOVE_ITEM = "remove_item";
    public static final String VIEW_CART = "view_cart";
    public static final String CONFIRM_ORDER = "confirm_order";
    public static final String TRANSFER_TO_HUMAN = "transfer_to_human";

    private static final Logger LOG = LoggerFactory.getLogger(OrderTools.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

    private OrderTools() {}

    /** The cart of a call when none is chosen: {@code "cart:" + callId}. */
    public static String defaultCartId(String callId) {
        return "cart:" + callId;
    }

    /** The tools, with one cart per call ({@link #defaultCartId}). */
    public static List<Tool> create(Menu menu, CartStore carts) {
        return create(menu, carts, OrderTools::defaultCartId);
    }

    /**
     * The tools.
     *
     * @param cartIdForCall maps a call id to the id of the cart the call orders into (for example one cart per caller
     *     number, so a caller who reconnects finds the cart again)
     */
    public static List<Tool> create(Menu menu, CartStore carts, Function<String, String> cartIdForCall) {
        ToolJson json = new ToolJson(menu);
        MenuSearch search = new MenuSearch(menu, json);
        CartActions actions = new CartActions(menu, carts, json);
        Function<ToolContext, String> cart = ctx -> cartIdForCall.apply(ctx.callId());
        return List.of(
                tool(SEARCH_MENU, "Look up menu items, prices, sizes, ingredients and modifiers. Query an item name, a"
                        + " category (pizzas, burgers, sides, drinks, desserts, combos) or 'menu' for everything.",
                        """
                        {"type":"object","properties":{"query":{"type":"string","description":"item, category or word"}},\
                        "required":["query"],"additionalProperties":false}""",
                        ToolPolicy.CANCEL_ON_BARGE_IN, (args, ctx) -> search.search(args.path("query").asText(""))),
                tool(ADD_ITEM, "Add an item to the caller's order. Ask for the size first when the item needs one.",
                        """
                        {"type":"object","properties":{"item":{"type":"string","description":"menu item name"},\
                        "size":{"type":"string","description":"one of the item's sizes; omit for the default"},\
                        "quantity":{"type":"integer","minimum":1,"maximum":20},\
                        "modifiers":{"type":"array","items":{"type":"string"},"description":"e.g. no onions, extra cheese"}},\
                        "required":["item","quantity"],"additionalProperties":false}""",
                        ToolPolicy.RUN_TO_COMPLETION, (args, ctx) -> actions.add(args, cart.apply(ctx), ctx.idempotencyKey())),
                tool(UPDATE_ITEM, "Change a line of the order: quantity, size or modifiers (the list replaces the old one)."
                        + " Name the line by line_id, or by item to change the latest line of that item.",
                        """
                        {"type":"object","properties":{"line_id":{"type":"string"},"item":{"type":"string"},\
                        "quantity":{"type":"integer","minimum":1,"maximum":20},"size":{"type":"string"},\
                        "modifiers":{"type":"array","items":{"type":"string"}}},"additionalProperties":false}""",
                        ToolPolicy.RUN_TO_COMPLETION, (args, ctx) -> actions.update(args, cart.apply(ctx), ctx.idempotencyKey())),
                tool(REMOVE_ITEM, "Remove a line from the order, by line_id or by item name (the latest line of it).",
                        """
                        {"type":"object","properties":{"line_id":{"type":"string"},"item":{"type":"string"}},\
                        "additionalProperties":false}""",
                        ToolPolicy.RUN_TO_COMPLETION, (args, ctx) -> actions.remove(args, cart.apply(ctx), ctx.idempotencyKey())),
                tool(VIEW_CART, "Read the current order: lines, quantities, prices and total.",
                        """
                        {"type":"object","properties":{},"additionalProperties":false}""",
                        ToolPolicy.CANCEL_ON_BARGE_IN, (args, ctx) -> actions.view(cart.apply(ctx))),
                tool(CONFIRM_ORDER, "Place the order after the caller confirmed the read-back. Returns the order number.",
                        """
                        {"type":"object","properties":{},"additionalProperties":false}""",
                        ToolPolicy.RUN_TO_COMPLETION, (args, ctx) -> actions.confirm(cart.apply(ctx), ctx.idempotencyKey())),
                tool(TRANSFER_TO_HUMAN, "Hand the caller to a member of staff, after telling them.",
                        """
                        {"type":"object","properties":{"reason":{"type":"string"}},"required":["reason"],\
                        "additionalProperties":false}""",
                        ToolPolicy.RUN_TO_COMPLETION, (args, ctx) -> {
                            String reason = args.path("reason").asText("caller asked for a person");
                            ctx.transferToHuman(reason.isBlank() ? "caller asked for a person" : reason);
                            return ToolJson.ok().put("action", "transferring").toString();
                        }));
    }

    @FunctionalInterface
    private interface JsonHandler {
        String handle(JsonNode args, ToolContext context);
    }

    private static Tool tool(String name, String description, String schema, ToolPolicy policy, JsonHandler handler) {
        Duration timeout = policy == ToolPolicy.RUN_TO_COMPLETION ? WRITE_TIMEOUT : READ_TIMEOUT;
        ToolDefinition definition = new ToolDefinition(name, description, schema, policy, timeout);
        return new Tool(definition, (argumentsJson, context) -> {
            try {
                JsonNode args = argumentsJson.isBlank() ? ToolJson.MAPPER.createObjectNode() : ToolJson.MAPPER.readTree(argumentsJson);
                if (!args.isObject()) {
                    return ToolJson.error("bad_arguments", "The arguments must be a JSON object.");
                }
                return handler.handle(args, context);
            } catch (ToolError e) {
                return e.json();
            } catch (CartException e) {
                return ToolJson.error(e.code(), e.getMessage());
            } catch (JsonProcessingException e) {
                return ToolJson.error("bad_arguments", "The arguments are not valid JSON.");
            } catch (RuntimeException e) {
                LOG.warn("tool {} failed: {}", name, e.toString());
                LOG.debug("tool {} failure", name, e);
                return ToolJson.error("internal_error", "Sorry, something went wrong on our side.");
            }
        });
    }
}
