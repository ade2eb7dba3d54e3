package dev.parley.deepgram;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DESIGN.md §3: providers use core's public API only and never another provider or a transport. */
class ModuleRulesTest {
    @Test
    void usesOnlyCorePublicApi() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.internal..", "dev.parley.twilio..", "dev.parley.testkit..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPath(Path.of("target/classes")));
    }
}
