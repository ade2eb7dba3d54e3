package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 1,000 seeded random mutations of the golden messages (character-level and JSON-structure-level):
 * decoding either succeeds or throws {@link TwilioProtocolException}, never anything else.
 */
class TwilioCodecFuzzTest {
    private static final String[] INBOUND = {"inbound-connected.json", "inbound-start.json", "inbound-media.json",
        "inbound-mark.json", "inbound-dtmf.json", "inbound-stop.json"};
    private static final String[] OUTBOUND = {"outbound-media.json", "outbound-mark.json", "outbound-clear.json"};
    private static final String ALPHABET = "{}[]\":,\\ 0123456789-+.eE=/abcnultrfsMZ\u00e9\ud83d\ude00\u0000\n";

    @Test
    void randomMutationsOnlyEverThrowProtocolExceptions() {
        TwilioCodec codec = TwilioCodec.withLimits(4096, 1024);
        Random random = new Random(20261121);
        Map<TwilioProtocolException.Reason, Integer> reasons = new EnumMap<>(TwilioProtocolException.Reason.class);
        int decoded = 0;
        for (int i = 0; i < 1000; i++) {
            boolean inbound = random.nextInt(3) > 0;
            String[] pool = inbound ? INBOUND : OUTBOUND;
            String original = Golden.text(pool[random.nextInt(pool.length)]);
            String mutated = random.nextBoolean() ? mutateText(original, random) : mutateTree(original, random);
            try {
                if (inbound) {
                    codec.decode(mutated);
                } else {
                    codec.decodeOutbound(mutated);
                }
                decoded++;
            } catch (TwilioProtocolException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + " leaked " + e + " for input: " + mutated, e);
            }
        }
        // the mutations must exercise both outcomes and several failure kinds to mean anything
        assertThat(decoded).isGreaterThan(50);
        assertThat(reasons.keySet()).contains(TwilioProtocolException.Reason.BAD_JSON,
                TwilioProtocolException.Reason.MISSING_FIELD, TwilioProtocolException.Reason.INVALID_FIELD);
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum() + decoded).isEqualTo(1000);
    }

    private static String mutateText(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && !b.isEmpty(); k++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(6)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 3 -> b.setLength(at);
                case 4 -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(40))));
                default -> b.insert(at, "[".repeat(r.nextInt(3000)));
            }
        }
        return b.toString();
    }

    private static String mutateTree(String s, Random r) {
        ObjectNode root = (ObjectNode) Golden.tree(s);
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            ObjectNode target = objects.get(r.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty()) {
                continue;
            }
            String name = names.get(r.nextInt(names.size()));
            switch (r.nextInt(8)) {
                case 0 -> target.remove(name);
                case 1 -> target.putNull(name);
                case 2 -> target.put(name, r.nextLong());
                case 3 -> target.put(name, r.nextDouble() * 1e300);
                case 4 -> target.put(name, randomText(r));
                case 5 -> target.putArray(name).add(randomText(r));
                case 6 -> target.putObject(name).put("x", randomText(r));
                default -> target.put(name, r.nextBoolean());
            }
        }
        return root.toString();
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
        }
        if (node instanceof ObjectNode || node instanceof ArrayNode) {
            node.forEach(child -> collect(child, out));
        }
    }

    private static String randomText(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "";
            case 1 -> Long.toString(r.nextLong());
            case 2 -> "x".repeat(r.nextInt(5000));
            case 3 -> JsonNodeFactory.instance.textNode("inbound").asText();
            default -> Integer.toString(r.nextInt(100));
        };
    }
}
