package dev.parley.testkit;

import org.junit.jupiter.api.Test;

class SimulationScratchTest {
    @Test
    void one() throws Exception {
        long seed = Long.parseLong(System.getProperty("simseed", "-3583278421401142443"));
        Simulation.Report r = Simulation.call(seed);
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/simscratch/one.txt"), r.failures().isEmpty() ? "ok" : r.failures().getFirst().toString());
    }
}
