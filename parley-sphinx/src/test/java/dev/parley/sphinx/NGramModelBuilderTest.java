package dev.parley.sphinx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NGramModelBuilderTest {
    static final List<String> CORPUS = List.of(
            "i would like a pizza", "i would like two pizzas", "can i get a coke", "a pizza and a coke please", "yes");

    /** Parses ARPA text into n-gram → {log10 p, log10 backoff}. */
    static Map<String, double[]> parse(String arpa) {
        Map<String, double[]> out = new HashMap<>();
        for (String line : arpa.split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 2) {
                out.put(f[1], new double[] {Double.parseDouble(f[0]), f.length > 2 ? Double.parseDouble(f[2]) : 0});
            }
        }
        return out;
    }

    /** Back-off probability P(w | history) computed from the parsed model. */
    static double prob(Map<String, double[]> m, List<String> history, String w) {
        if (history.isEmpty()) {
            return Math.pow(10, m.get(w)[0]);
        }
        String key = String.join(" ", history) + " " + w;
        if (m.containsKey(key)) {
            return Math.pow(10, m.get(key)[0]);
        }
        double[] h = m.get(String.join(" ", history));
        double bow = h == null ? 1 : Math.pow(10, h[1]);
        return bow * prob(m, history.subList(1, history.size()), w);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyHistoryIsAProbabilityDistribution(int order) {
        var b = new NGramModelBuilder(order, 0.5);
        CORPUS.forEach(s -> b.add(Lexicon.words(s)));
        String arpa = b.toArpa();
        assertThat(arpa).startsWith("\\data\\\n").endsWith("\\end\\\n").contains("-99.000000\t<s>");
        var m = parse(arpa);
        Set<String> vocab = new TreeSet<>();
        CORPUS.forEach(s -> vocab.addAll(Lexicon.words(s)));
        vocab.add("</s>");
        assertThat(b.vocabularySize()).isEqualTo(vocab.size() - 1);
        for (List<String> history : List.of(List.of("<s>"), List.of("like"), List.of("a"), List.of("would", "like"),
                List.of("<s>", "i"), List.of("pizza"), List.of("yes"))) {
            List<String> h = history.subList(Math.max(0, history.size() - (order - 1)), history.size());
            double total = vocab.stream().mapToDouble(w -> prob(m, h, w)).sum();
            assertThat(total).as("sum over P(w | %s)", h).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
        // seen continuations are likelier than unseen ones
        assertThat(prob(m, List.of("like").subList(0, 1), "a")).isGreaterThan(prob(m, List.of("like"), "yes"));
    }

    @Test
    void ngramCountsInTheHeaderMatchTheSections() {
        var b = new NGramModelBuilder(3, 0.5);
        CORPUS.forEach(s -> b.add(Lexicon.words(s)));
        String arpa = b.toArpa();
        for (int n = 1; n <= 3; n++) {
            int declared = Integer.parseInt(arpa.replaceAll("(?s).*ngram " + n + "=(\\d+).*", "$1"));
            String section = arpa.split("\\\\" + n + "-grams:\n")[1].split("\n\n|\\\\end")[0];
            assertThat(section.split("\n")).hasSize(declared);
        }
    }
}
