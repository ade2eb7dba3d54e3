package dev.parley.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §3 across the modules on this classpath (testkit, silero, sphinx, local TTS, the ordering example, the
 * CLI): nothing outside parley-core imports dev.parley.internal, and providers do not depend on each other.
 */
class ModuleRulesTest {
    private static final JavaClasses OUTSIDE_CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption((Location l) -> !l.contains("parley-core"))
            .importPackages("dev.parley");

    @Test
    void nothingOutsideCoreImportsInternal() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.parley.internal..").check(OUTSIDE_CORE);
    }

    @Test
    void embeddedProvidersAreIndependent() {
        noClasses().that().resideInAPackage("dev.parley.silero..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.sphinx..", "dev.parley.localtts..")
                .check(OUTSIDE_CORE);
        noClasses().that().resideInAPackage("dev.parley.sphinx..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.silero..", "dev.parley.localtts..")
                .check(OUTSIDE_CORE);
        noClasses().that().resideInAPackage("dev.parley.localtts..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.silero..", "dev.parley.sphinx..")
                .check(OUTSIDE_CORE);
    }
}
