package dev.parley.sphinx;

import dev.parley.ParleyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files one recogniser configuration needs, in a private temporary directory: the Sphinx XML
 * config, a dictionary with only the domain's words, and either an ARPA n-gram model built from the
 * corpus or the JSGF grammar.
 */
record DomainModel(Path dir, URL config, Set<String> unknownWords, int vocabularySize) {
    private static final Pattern GRAMMAR_NAME = Pattern.compile("^\\s*grammar\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern JSGF_NOISE = Pattern.compile(
            "(?s)/\\*.*?\\*/|//[^\\n]*|#JSGF[^;]*;|^\\s*(grammar|import)[^;]*;|\\bpublic\\b|<[^>]*>|\\{[^}]*}|/[^/]*/|[=;|()\\[\\]*+]",
            Pattern.MULTILINE);

    /** An n-gram model built from {@code sentences}; words without a pronunciation are dropped. */
    static DomainModel fromCorpus(List<String> sentences, Map<String, String> pronunciations, int order,
            SphinxConfig.Settings settings) {
        List<List<String>> tokenized = sentences.stream().map(Lexicon::words).filter(w -> !w.isEmpty()).toList();
        if (tokenized.isEmpty()) {
            throw new IllegalArgumentException("the corpus has no words");
        }
        Set<String> vocabulary = new LinkedHashSet<>();
        tokenized.forEach(vocabulary::addAll);
        Lexicon lexicon = Lexicon.lookup(vocabulary, pronunciations);
        var lm = new NGramModelBuilder(order, 0.5);
        for (List<String> sentence : tokenized) {
            lm.add(sentence.stream().filter(lexicon::knows).toList());
        }
        Path dir = tempDir();
        write(dir.resolve("words.dict"), lexicon.dictionaryText());
        write(dir.resolve("model.lm"), lm.toArpa());
        return finish(dir, "", settings, lexicon.unknown(), lm.vocabularySize());
    }

    /** A JSGF grammar model; every word of the grammar must have a pronunciation. */
    static DomainModel fromGrammar(String jsgf, Map<String, String> pronunciations, SphinxConfig.Settings settings) {
        Matcher name = GRAMMAR_NAME.matcher(jsgf);
        if (!name.find()) {
            throw new IllegalArgumentException("the JSGF grammar has no 'grammar <name>;' header");
        }
        Set<String> words = new LinkedHashSet<>();
        for (String token : JSGF_NOISE.matcher(jsgf).replaceAll(" ").split("\\s+")) {
            words.addAll(Lexicon.words(token.replace("\"", "")));
        }
        Lexicon lexicon = Lexicon.lookup(words, pronunciations);
        if (!lexicon.unknown().isEmpty()) {
            throw new ParleyException("grammar words without a pronunciation (add them with pronunciation()): "
                    + lexicon.unknown());
        }
        Path dir = tempDir();
        write(dir.resolve("words.dict"), lexicon.dictionaryText());
        write(dir.resolve(name.group(1) + ".gram"), jsgf);
        return finish(dir, name.group(1), settings, Set.of(), words.size());
    }

    private static DomainModel finish(Path dir, String grammarName, SphinxConfig.Settings settings,
            Set<String> unknown, int vocabularySize) {
        Path config = dir.resolve(SphinxRecognizer.CONFIG_FILE);
        write(config, SphinxConfig.xml(dir, grammarName, settings));
        try {
            return new DomainModel(dir, config.toUri().toURL(), Set.copyOf(unknown), vocabularySize);
        } catch (MalformedURLException e) {
            throw new ParleyException("bad model path " + config, e);
        }
    }

    /** Removes the temporary files. */
    void delete() {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // temp files; the OS cleans up eventually
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("parley-sphinx-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new ParleyException("cannot create a temporary directory for the Sphinx model", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new ParleyException("cannot write " + file, e);
        }
    }
}
