package dev.parley.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of every live thread of the JVM, virtual threads included (a JSON thread dump: {@link Thread#getAllStackTraces}
 * does not list virtual threads).
 */
final class PhoneThreads {
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PhoneThreads() {}

    static List<String> names() {
        try {
            Path dir = Files.createTempDirectory("parley-threads");
            Path file = dir.resolve("dump.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                String json = Files.readString(file, StandardCharsets.UTF_8);
                List<String> names = new ArrayList<>();
                Matcher m = NAME.matcher(json);
                while (m.find()) {
                    names.add(m.group(1));
                }
                return names;
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live threads whose name starts with {@code prefix}. */
    static List<String> named(String prefix) {
        return names().stream().filter(n -> n.startsWith(prefix)).toList();
    }
}
