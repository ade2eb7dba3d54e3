package dev.parley;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core's dependency rules (DESIGN.md §3): the JDK, SLF4J and JSpecify only; the pure machine does no I/O. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley");

    @Test
    void coreDependsOnlyOnTheJdkSlf4jAndJspecify() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax..", "jdk..", "org.slf4j..", "org.jspecify..", "dev.parley..")
                .check(CORE);
    }

    @Test
    void theCallMachineIsPure() {
        noClasses().that().resideInAPackage("dev.parley.machine")
                .and().doNotHaveSimpleName("Journal")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
                        "java.util.concurrent..", "org.slf4j..", "dev.parley.internal..")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .check(CORE);
    }

    @Test
    void publicApiDoesNotLeakThreadsOrInternals() {
        classes().that().resideInAnyPackage("dev.parley.spi", "dev.parley.audio")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.jspecify..", "org.slf4j..",
                        "dev.parley", "dev.parley.spi..", "dev.parley.audio..")
                .check(CORE);
    }
}
