package dev.parley.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.parley.twilio.TwilioTransport;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server uses only core's public API (DESIGN.md §3). */
class ModuleRulesTest {
    @Test
    void serverAndTwilioUseOnlyThePublicApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.parley.internal..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importUrls(List.of(codeOf(ParleyServer.class), codeOf(TwilioTransport.class))));
    }

    /** Where a class was loaded from (the module's classes or jar): imports only it, not the whole classpath. */
    private static URL codeOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
