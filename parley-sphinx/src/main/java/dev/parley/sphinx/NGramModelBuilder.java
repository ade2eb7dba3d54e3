package dev.parley.sphinx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a back-off n-gram language model (ARPA text) from a small domain corpus with absolute
 * discounting: a seen n-gram gets {@code (count - D) / historyCount}; the mass taken away is given
 * to the lower order through a back-off weight that keeps every history's distribution summing to
 * one. Sentences are wrapped in {@code <s>} and {@code </s>}.
 */
final class NGramModelBuilder {
    static final String BOS = "<s>";
    static final String EOS = "</s>";

    private final int order;
    private final double discount;
    /** counts.get(m - 1): m-gram (words joined by a space) → count. */
    private final List<Map<String, Integer>> counts = new ArrayList<>();

    NGramModelBuilder(int order, double discount) {
        if (order < 1 || order > 3) {
            throw new IllegalArgumentException("order must be 1..3 (Sphinx4 reads at most trigrams): " + order);
        }
        if (discount <= 0 || discount >= 1) {
            throw new IllegalArgumentException("discount must be in (0, 1): " + discount);
        }
        this.order = order;
        this.discount = discount;
        for (int m = 0; m < order; m++) {
            counts.add(new TreeMap<>());
        }
    }

    /** Adds one sentence (already normalised words); empty sentences are ignored. */
    NGramModelBuilder add(List<String> words) {
        if (words.isEmpty()) {
            return this;
        }
        List<String> t = new ArrayList<>(words.size() + 2);
        t.add(BOS);
        t.addAll(words);
        t.add(EOS);
        for (int m = 1; m <= order; m++) {
            for (int i = 0; i + m <= t.size(); i++) {
                if (m == 1 && i == 0) {
                    continue; // <s> is never predicted
                }
                counts.get(m - 1).merge(String.join(" ", t.subList(i, i + m)), 1, Integer::sum);
            }
        }
        return this;
    }

    /** Number of distinct words (without sentence markers). */
    int vocabularySize() {
        return (int) counts.getFirst().keySet().stream().filter(w -> !w.equals(EOS)).count();
    }

    /** The model in ARPA format. */
    String toArpa() {
        if (counts.getFirst().isEmpty()) {
            throw new IllegalStateException("empty corpus");
        }
        List<Map<String, Double>> prob = new ArrayList<>();
        List<Map<String, Double>> backoff = new ArrayList<>();
        prob.add(unigrams());
        for (int m = 2; m <= order; m++) {
            prob.add(discounted(m));
        }
        for (int m = 1; m < order; m++) {
            backoff.add(backoffWeights(m, prob));
        }
        var sb = new StringBuilder("\\data\\\n");
        int[] sizes = new int[order];
        sizes[0] = prob.getFirst().size() + 1;
        for (int m = 2; m <= order; m++) {
            sizes[m - 1] = prob.get(m - 1).size();
        }
        for (int m = 1; m <= order; m++) {
            sb.append("ngram ").append(m).append('=').append(sizes[m - 1]).append('\n');
        }
        for (int m = 1; m <= order; m++) {
            sb.append("\n\\").append(m).append("-grams:\n");
            Map<String, Double> bo = m < order ? backoff.get(m - 1) : Map.of();
            if (m == 1) {
                line(sb, -99, BOS, bo.get(BOS));
            }
            for (var e : prob.get(m - 1).entrySet()) {
                line(sb, Math.log10(e.getValue()), e.getKey(), bo.get(e.getKey()));
            }
        }
        return sb.append("\n\\end\\\n").toString();
    }

    private static void line(StringBuilder sb, double log10p, String ngram, Double bow) {
        sb.append(String.format(Locale.ROOT, "%.6f", log10p)).append('\t').append(ngram);
        if (bow != null) {
            sb.append('\t').append(String.format(Locale.ROOT, "%.6f", Math.log10(bow)));
        }
        sb.append('\n');
    }

    private Map<String, Double> unigrams() {
        double total = counts.getFirst().values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Double> p = new TreeMap<>();
        counts.getFirst().forEach((w, c) -> p.put(w, c / total));
        return p;
    }

    /** P(w | h) = (c(h w) - D) / c(h ·) for every seen m-gram. */
    private Map<String, Double> discounted(int m) {
        Map<String, Integer> historyTotals = new HashMap<>();
        counts.get(m - 1).forEach((g, c) -> historyTotals.merge(history(g), c, Integer::sum));
        Map<String, Double> p = new TreeMap<>();
        counts.get(m - 1).forEach((g, c) -> p.put(g, (c - discount) / historyTotals.get(history(g))));
        return p;
    }

    /** Back-off weight of each m-gram used as a history of (m+1)-grams. */
    private Map<String, Double> backoffWeights(int m, List<Map<String, Double>> prob) {
        Map<String, Integer> followers = new HashMap<>();
        Map<String, Integer> totals = new HashMap<>();
        Map<String, Double> lowerMass = new HashMap<>();
        counts.get(m).forEach((g, c) -> {
            String h = history(g);
            followers.merge(h, 1, Integer::sum);
            totals.merge(h, c, Integer::sum);
            lowerMass.merge(h, prob.get(m - 1).get(dropFirst(g)), Double::sum);
        });
        Map<String, Double> bow = new TreeMap<>();
        followers.forEach((h, n) -> {
            double left = discount * n / totals.get(h);
            double denominator = Math.max(1e-6, 1 - lowerMass.get(h));
            bow.put(h, left / denominator);
        });
        return bow;
    }

    private static String history(String ngram) {
        return ngram.substring(0, ngram.lastIndexOf(' '));
    }

    private static String dropFirst(String ngram) {
        return ngram.substring(ngram.indexOf(' ') + 1);
    }
}
