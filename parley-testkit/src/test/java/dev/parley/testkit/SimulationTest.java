package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimulationTest {
    @Test
    void tenThousandCalls() throws Exception {
        Simulation.Report r = Simulation.builder().seed(1).calls(2000).keepJournals(10).build().run();
        StringBuilder sb = new StringBuilder(r.summary()).append('\n');
        java.util.Map<String, java.util.List<Simulation.Failure>> byInv = new java.util.TreeMap<>();
        r.failures().forEach(f -> { String k = f.invariant() + " " + f.message().replaceAll("[0-9]+", "N").replaceAll("\"[^\"]*\"", "Q"); byInv.computeIfAbsent(k.substring(0, Math.min(140, k.length())), x -> new java.util.ArrayList<>()).add(f); });
        byInv.forEach((k, v) -> sb.append(v.size()).append("  ").append(k).append("  e.g. seed ").append(v.getFirst().callSeed()).append('\n'));
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/simscratch/summary.txt"), sb);
        for (var e : byInv.values()) { var f = e.stream().min(java.util.Comparator.comparingInt(x -> x.journal().size())).get();
            java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/simscratch/fail-" + f.callSeed() + ".txt"), f.toString()); }
        assertThat(r.failures()).isEmpty();
    }
}
