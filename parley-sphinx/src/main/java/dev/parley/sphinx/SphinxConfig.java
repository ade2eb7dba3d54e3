package dev.parley.sphinx;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes the Sphinx4 XML configuration of one recogniser. Parley's own minimal graph: no monitors
 * (they print to stdout), JUL logging at WARNING, partial results every {@code interimEvery} of audio.
 */
final class SphinxConfig {
    static final String ACOUSTIC_MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";
    static final String FILLER_DICT = ACOUSTIC_MODEL + "/noisedict";

    private SphinxConfig() {}

    /**
     * @param modelDir directory holding {@code words.dict} and {@code model.lm} or the grammar file
     * @param grammarName JSGF grammar name, or empty for n-gram mode
     */
    static String xml(Path modelDir, String grammarName, Settings s) {
        boolean grammar = !grammarName.isEmpty();
        String dir = modelDir.toUri().toString();
        String linguistPart = grammar
                ? """
                  <component name="searchManager" type="edu.cmu.sphinx.decoder.search.SimpleBreadthFirstSearchManager">
                    <property name="linguist" value="flatLinguist"/>
                    <property name="pruner" value="pruner"/>
                    <property name="scorer" value="scorer"/>
                    <property name="activeListFactory" value="activeList"/>
                  </component>
                  <component name="activeList" type="edu.cmu.sphinx.decoder.search.PartitionActiveListFactory">
                    <property name="absoluteBeamWidth" value="${absoluteBeamWidth}"/>
                    <property name="relativeBeamWidth" value="${relativeBeamWidth}"/>
                  </component>
                  <component name="flatLinguist" type="edu.cmu.sphinx.linguist.flat.FlatLinguist">
                    <property name="grammar" value="grammar"/>
                    <property name="acousticModel" value="acousticModel"/>
                    <property name="unitManager" value="unitManager"/>
                    <property name="wordInsertionProbability" value="${wordInsertionProbability}"/>
                    <property name="silenceInsertionProbability" value="${silenceInsertionProbability}"/>
                    <property name="languageWeight" value="${languageWeight}"/>
                    <property name="addOutOfGrammarBranch" value="true"/>
                    <property name="outOfGrammarProbability" value="1e-30"/>
                    <property name="phoneInsertionProbability" value="1e-10"/>
                    <property name="phoneLoopAcousticModel" value="acousticModel"/>
                  </component>
                  <component name="grammar" type="edu.cmu.sphinx.jsgf.JSGFGrammar">
                    <property name="dictionary" value="dictionary"/>
                    <property name="grammarLocation" value="%s"/>
                    <property name="grammarName" value="%s"/>
                    <property name="addSilenceWords" value="true"/>
                  </component>
                  """.formatted(dir, grammarName)
                : """
                  <component name="searchManager" type="edu.cmu.sphinx.decoder.search.WordPruningBreadthFirstSearchManager">
                    <property name="linguist" value="lexTreeLinguist"/>
                    <property name="pruner" value="pruner"/>
                    <property name="scorer" value="scorer"/>
                    <property name="activeListManager" value="activeListManager"/>
                    <property name="growSkipInterval" value="0"/>
                    <property name="buildWordLattice" value="true"/>
                    <property name="keepAllTokens" value="true"/>
                    <property name="acousticLookaheadFrames" value="1.7"/>
                    <property name="relativeBeamWidth" value="${relativeBeamWidth}"/>
                  </component>
                  <component name="activeListManager" type="edu.cmu.sphinx.decoder.search.SimpleActiveListManager">
                    <propertylist name="activeListFactories">
                      <item>stateList</item><item>wordList</item><item>wordList</item>
                      <item>stateList</item><item>stateList</item><item>stateList</item>
                    </propertylist>
                  </component>
                  <component name="stateList" type="edu.cmu.sphinx.decoder.search.PartitionActiveListFactory">
                    <property name="absoluteBeamWidth" value="${absoluteBeamWidth}"/>
                    <property name="relativeBeamWidth" value="${relativeBeamWidth}"/>
                  </component>
                  <component name="wordList" type="edu.cmu.sphinx.decoder.search.PartitionActiveListFactory">
                    <property name="absoluteBeamWidth" value="200"/>
                    <property name="relativeBeamWidth" value="1e-40"/>
                  </component>
                  <component name="lexTreeLinguist" type="edu.cmu.sphinx.linguist.lextree.LexTreeLinguist">
                    <property name="acousticModel" value="acousticModel"/>
                    <property name="languageModel" value="languageModel"/>
                    <property name="dictionary" value="dictionary"/>
                    <property name="unitManager" value="unitManager"/>
                    <property name="addFillerWords" value="true"/>
                    <property name="generateUnitStates" value="false"/>
                    <property name="wantUnigramSmear" value="true"/>
                    <property name="unigramSmearWeight" value="1"/>
                    <property name="wordInsertionProbability" value="${wordInsertionProbability}"/>
                    <property name="silenceInsertionProbability" value="${silenceInsertionProbability}"/>
                    <property name="fillerInsertionProbability" value="1e-2"/>
                    <property name="languageWeight" value="${languageWeight}"/>
                  </component>
                  <component name="languageModel" type="edu.cmu.sphinx.linguist.language.ngram.SimpleNGramModel">
                    <property name="location" value="%smodel.lm"/>
                    <property name="dictionary" value="dictionary"/>
                    <property name="maxDepth" value="3"/>
                    <property name="unigramWeight" value=".7"/>
                  </component>
                  """.formatted(dir);
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <property name="logLevel" value="WARNING"/>
                  <property name="absoluteBeamWidth" value="ABS_BEAM"/>
                  <property name="relativeBeamWidth" value="REL_BEAM"/>
                  <property name="wordInsertionProbability" value="0.1"/>
                  <property name="silenceInsertionProbability" value="0.1"/>
                  <property name="languageWeight" value="8.0"/>
                  <component name="recognizer" type="edu.cmu.sphinx.recognizer.Recognizer">
                    <property name="decoder" value="decoder"/>
                  </component>
                  <component name="decoder" type="edu.cmu.sphinx.decoder.Decoder">
                    <property name="searchManager" value="searchManager"/>
                    <property name="featureBlockSize" value="%d"/>
                    <property name="fireNonFinalResults" value="true"/>
                  </component>
                  <component name="pruner" type="edu.cmu.sphinx.decoder.pruner.SimplePruner"/>
                  <component name="scorer" type="edu.cmu.sphinx.decoder.scorer.SimpleAcousticScorer">
                    <property name="frontend" value="frontEnd"/>
                  </component>
                %s
                  <component name="dictionary" type="edu.cmu.sphinx.linguist.dictionary.TextDictionary">
                    <property name="dictionaryPath" value="%swords.dict"/>
                    <property name="fillerPath" value="%s"/>
                    <property name="unitManager" value="unitManager"/>
                  </component>
                  <component name="acousticModel" type="edu.cmu.sphinx.linguist.acoustic.tiedstate.TiedStateAcousticModel">
                    <property name="loader" value="loader"/>
                    <property name="unitManager" value="unitManager"/>
                  </component>
                  <component name="loader" type="edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader">
                    <property name="unitManager" value="unitManager"/>
                    <property name="location" value="%s"/>
                    <property name="topGaussiansNum" value="4"/>
                  </component>
                  <component name="unitManager" type="edu.cmu.sphinx.linguist.acoustic.UnitManager"/>
                  <component name="frontEnd" type="edu.cmu.sphinx.frontend.FrontEnd">
                    <propertylist name="pipeline">
                      <item>dataSource</item><item>dataBlocker</item><item>speechClassifier</item>
                      <item>speechMarker</item><item>preemphasizer</item><item>windower</item>
                      <item>fft</item><item>autoCepstrum</item><item>liveCMN</item>
                      <item>featureExtraction</item><item>featureTransform</item>
                    </propertylist>
                  </component>
                  <component name="dataSource" type="edu.cmu.sphinx.frontend.util.StreamDataSource">
                    <property name="sampleRate" value="16000"/>
                    <property name="bytesPerRead" value="%d"/>
                  </component>
                  <component name="dataBlocker" type="edu.cmu.sphinx.frontend.DataBlocker"/>
                  <component name="speechClassifier" type="edu.cmu.sphinx.frontend.endpoint.SpeechClassifier">
                    <property name="threshold" value="13"/>
                  </component>
                  <component name="speechMarker" type="edu.cmu.sphinx.frontend.endpoint.SpeechMarker">
                    <property name="startSpeech" value="%d"/>
                    <property name="endSilence" value="%d"/>
                    <property name="speechLeader" value="%d"/>
                  </component>
                  <component name="preemphasizer" type="edu.cmu.sphinx.frontend.filter.Preemphasizer"/>
                  <component name="windower" type="edu.cmu.sphinx.frontend.window.RaisedCosineWindower"/>
                  <component name="fft" type="edu.cmu.sphinx.frontend.transform.DiscreteFourierTransform"/>
                  <component name="autoCepstrum" type="edu.cmu.sphinx.frontend.AutoCepstrum">
                    <property name="loader" value="loader"/>
                  </component>
                  <component name="liveCMN" type="dev.parley.sphinx.frontend.StreamCmn">
                    <property name="priorWindow" value="%d"/>
                    <property name="cmnWindow" value="300"/>
                  </component>
                  <component name="featureExtraction" type="edu.cmu.sphinx.frontend.feature.DeltasFeatureExtractor"/>
                  <component name="featureTransform" type="edu.cmu.sphinx.frontend.feature.FeatureTransform">
                    <property name="loader" value="loader"/>
                  </component>
                </config>
                """.formatted(
                        frames(s.interimEvery()), linguistPart, dir, FILLER_DICT, ACOUSTIC_MODEL,
                        BYTES_PER_READ, s.startSpeech().toMillis(), s.endSilence().toMillis(),
                        s.speechLeader().toMillis(), frames(s.cmnPrior()))
                .replace("ABS_BEAM", Integer.toString(s.beamWidth()))
                .replace("REL_BEAM", RELATIVE_BEAM);
    }

    /**
     * Relative beam for the small domain models. Measured on the 8 order sentences (FreeTTS audio):
     * absolute 20000 / relative 1e-60 (Sphinx default) 0 % WER at CPU-RTF 0.49; 1000 / 1e-40 0 % at
     * 0.16; 500 / 1e-30 7.4 % at 0.15. Default 2000 / 1e-45 keeps a margin for real callers.
     */
    static final String RELATIVE_BEAM = "1e-45";

    /** Bytes the frontend reads at once: 20 ms at 16 kHz (its default of 100 ms adds latency). */
    static final int BYTES_PER_READ = 640;

    private static long frames(Duration d) {
        return Math.max(1, d.toMillis() / 10);
    }

    /** Recogniser tuning shared by all recognisers of one {@link SphinxStt}. */
    record Settings(
            Duration interimEvery,
            Duration startSpeech,
            Duration endSilence,
            Duration speechLeader,
            Duration cmnPrior,
            int beamWidth) {}
}
