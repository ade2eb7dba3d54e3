package dev.parley.localtts;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.parley.ParleyException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libespeak-ng bound with the JDK foreign-function API (no JNI, no jar): synchronous mode, 22050 Hz,
 * audio and word events through an upcall-stub callback. The library keeps one global state (one
 * callback, one current voice), so there is exactly one instance per process and it is only called
 * from the single espeak worker thread.
 *
 * <p>Word marks come from espeak's own {@code espeakEVENT_WORD} events: the exact sample where each
 * word starts; a word ends where the next word or the sentence ends.
 */
@SuppressWarnings("restricted") // FFM binding of libespeak-ng is the point of this class
final class EspeakEngine implements Synthesizer {
    static final String LIBRARY = "libespeak-ng.so.1";
    static final String NOT_INSTALLED = "espeak-ng is not installed: apt-get install espeak-ng";

    private static final Logger log = LoggerFactory.getLogger(EspeakEngine.class);
    private static final int AUDIO_OUTPUT_SYNCHRONOUS = 2;
    private static final int BUFFER_MS = 20;
    private static final int INITIALIZE_DONT_EXIT = 0x8000;
    private static final int POS_CHARACTER = 1;
    private static final int CHARS_UTF8 = 1;
    private static final int PARAMETER_RATE = 1;
    private static final int DEFAULT_WORDS_PER_MINUTE = 175;
    private static final long EVENT_SIZE = 40;
    private static final int EVENT_END_OF_LIST = 0;
    private static final int EVENT_WORD = 1;
    private static final int EVENT_SENTENCE = 2;
    private static final int EVENT_END = 5;
    private static final int EVENT_MSG_TERMINATED = 6;

    private static final Object LOCK = new Object();
    private static @Nullable EspeakEngine instance;
    private static @Nullable Boolean available;

    private final MethodHandle synth;
    private final MethodHandle setVoiceByName;
    private final MethodHandle setParameter;
    private final int sampleRate;
    private final Map<String, String> voices;

    // state of the current synthesis; only touched by the worker thread and the callback it runs
    private @Nullable SynthesisSink sink;
    private String text = "";
    private long samples;
    private int wordPosition = -1;
    private int wordLength;
    private long wordStart;
    private @Nullable String currentVoice;
    private int currentRate = -1;

    private EspeakEngine(SymbolLookup lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle initialize = linker.downcallHandle(find(lib, "espeak_Initialize"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        MethodHandle setCallback = linker.downcallHandle(find(lib, "espeak_SetSynthCallback"),
                FunctionDescriptor.ofVoid(ADDRESS));
        MethodHandle listVoices = linker.downcallHandle(find(lib, "espeak_ListVoices"),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        this.setVoiceByName = linker.downcallHandle(find(lib, "espeak_SetVoiceByName"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.setParameter = linker.downcallHandle(find(lib, "espeak_SetParameter"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        this.synth = linker.downcallHandle(find(lib, "espeak_Synth"), FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

        this.sampleRate = (int) initialize.invokeExact(AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, MemorySegment.NULL,
                INITIALIZE_DONT_EXIT);
        if (sampleRate <= 0) {
            throw new ParleyException("espeak-ng failed to initialise (is espeak-ng-data installed?): " + sampleRate);
        }
        MethodHandle callback = MethodHandles.lookup().findVirtual(EspeakEngine.class, "onSynth",
                MethodType.methodType(int.class, MemorySegment.class, int.class, MemorySegment.class)).bindTo(this);
        MemorySegment stub = linker.upcallStub(callback,
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), Arena.global());
        setCallback.invokeExact(stub);
        this.voices = readVoices((MemorySegment) listVoices.invokeExact(MemorySegment.NULL));
    }

    /** Whether libespeak-ng can be loaded in this process. */
    static boolean isAvailable() {
        synchronized (LOCK) {
            if (available == null) {
                try {
                    SymbolLookup.libraryLookup(LIBRARY, Arena.global());
                    available = true;
                } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                    available = false;
                }
            }
            return available;
        }
    }

    /** The process-wide engine, initialised on first use. */
    static EspeakEngine get() {
        synchronized (LOCK) {
            EspeakEngine engine = instance;
            if (engine != null) {
                return engine;
            }
            if (!isAvailable()) {
                throw new ParleyException(NOT_INSTALLED);
            }
            long start = System.nanoTime();
            try {
                engine = new EspeakEngine(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
            } catch (ParleyException e) {
                throw e;
            } catch (Throwable e) {
                throw new ParleyException("espeak-ng could not be bound: " + e, e);
            }
            log.debug("espeak-ng initialised in {} ms, {} Hz, {} voice names", (System.nanoTime() - start) / 1_000_000,
                    engine.sampleRate, engine.voices.size());
            instance = engine;
            return engine;
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    /** Lower-case voice names, file names and language tags ("en-us", "ar", "ur") to voice identifiers. */
    Map<String, String> voices() {
        return voices;
    }

    @Override
    public void synthesize(String sentence, String voice, SynthesisSink target) {
        EspeakVoice v = EspeakVoice.decode(voice);
        try (Arena arena = Arena.ofConfined()) {
            if (!v.name().equals(currentVoice)) {
                int rc = (int) setVoiceByName.invokeExact(arena.allocateFrom(v.name()));
                if (rc != 0) {
                    throw new ParleyException("espeak-ng could not load voice '" + v.name() + "' (error " + rc + ")");
                }
                currentVoice = v.name();
                currentRate = -1;
            }
            int rate = v.wordsPerMinute() > 0 ? v.wordsPerMinute() : DEFAULT_WORDS_PER_MINUTE;
            if (rate != currentRate) {
                int rc = (int) setParameter.invokeExact(PARAMETER_RATE, rate, 0);
                currentRate = rc == 0 ? rate : -1;
            }
            MemorySegment utf8 = arena.allocateFrom(sentence);
            text = sentence;
            samples = 0;
            wordPosition = -1;
            sink = target;
            target.utteranceStart();
            int rc = (int) synth.invokeExact(utf8, utf8.byteSize(), 0, POS_CHARACTER, 0, CHARS_UTF8,
                    MemorySegment.NULL, MemorySegment.NULL);
            List<SynthesisSink.WordMark> last = new ArrayList<>(1);
            endWord(samples, last);
            target.words(last);
            if (rc != 0 && !target.cancelled()) {
                throw new ParleyException("espeak_Synth failed with error " + rc);
            }
        } catch (ParleyException e) {
            throw e;
        } catch (Throwable e) {
            throw new ParleyException("espeak-ng call failed: " + e, e);
        } finally {
            sink = null;
        }
    }

    /** The synth callback (runs on the worker thread inside espeak_Synth). Must never throw. */
    @SuppressWarnings("unused")
    private int onSynth(MemorySegment wav, int count, MemorySegment events) {
        SynthesisSink target = sink;
        if (target == null || target.cancelled()) {
            return 1;
        }
        try {
            List<SynthesisSink.WordMark> done = new ArrayList<>(2);
            if (!events.equals(MemorySegment.NULL)) {
                MemorySegment list = events.reinterpret(EVENT_SIZE * 1024);
                for (long at = 0; at < list.byteSize(); at += EVENT_SIZE) {
                    int type = list.get(JAVA_INT, at);
                    if (type == EVENT_END_OF_LIST) {
                        break;
                    }
                    int position = list.get(JAVA_INT, at + 8);
                    int length = list.get(JAVA_INT, at + 12);
                    long sample = list.get(JAVA_INT, at + 20);
                    switch (type) {
                        case EVENT_WORD -> {
                            boolean inside = wordPosition >= 0 && position >= wordPosition
                                    && position < wordPosition + Math.max(1, wordLength);
                            if (!inside) {
                                endWord(sample, done);
                                wordPosition = position;
                                wordLength = length;
                                wordStart = sample;
                            }
                        }
                        case EVENT_SENTENCE, EVENT_END, EVENT_MSG_TERMINATED -> endWord(sample, done);
                        default -> { }
                    }
                }
            }
            target.words(done);
            if (count > 0 && !wav.equals(MemorySegment.NULL)) {
                short[] pcm = wav.reinterpret(2L * count).toArray(JAVA_SHORT);
                samples += pcm.length;
                target.audio(pcm);
            }
            return 0;
        } catch (Throwable e) {
            log.warn("espeak-ng callback failed", e);
            return 1;
        }
    }

    private void endWord(long end, List<SynthesisSink.WordMark> out) {
        if (wordPosition < 0) {
            return;
        }
        String word = substringByCodePoints(text, wordPosition - 1, wordLength).strip();
        if (!word.isEmpty()) {
            out.add(new SynthesisSink.WordMark(word, wordStart, Math.max(wordStart, end)));
        }
        wordPosition = -1;
    }

    private static String substringByCodePoints(String s, int from, int length) {
        int count = s.codePointCount(0, s.length());
        if (from < 0 || from >= count || length <= 0) {
            return "";
        }
        int begin = s.offsetByCodePoints(0, from);
        int end = s.offsetByCodePoints(begin, Math.min(length, count - from));
        return s.substring(begin, end);
    }

    /**
     * Maps every lower-case voice name, file name and language tag to the voice identifier (the
     * data file, e.g. "gmw/en-US") that espeak_SetVoiceByName loads; for a language the voice that
     * lists it with the best (lowest) priority wins.
     */
    private static Map<String, String> readVoices(MemorySegment array) {
        Map<String, String> byKey = new HashMap<>();
        Map<String, Integer> priorities = new HashMap<>();
        if (array.equals(MemorySegment.NULL)) {
            return Map.of();
        }
        MemorySegment pointers = array.reinterpret(ADDRESS.byteSize() * 4096);
        for (long i = 0; i < 4096; i++) {
            MemorySegment voice = pointers.getAtIndex(ADDRESS, i);
            if (voice.equals(MemorySegment.NULL)) {
                break;
            }
            voice = voice.reinterpret(3 * ADDRESS.byteSize());
            String identifier = string(voice.get(ADDRESS, 2 * ADDRESS.byteSize()));
            if (identifier.isBlank()) {
                continue;
            }
            put(byKey, priorities, string(voice.get(ADDRESS, 0)), identifier, -1);
            put(byKey, priorities, identifier, identifier, -1);
            put(byKey, priorities, identifier.substring(identifier.lastIndexOf('/') + 1), identifier, -1);
            MemorySegment languages = voice.get(ADDRESS, ADDRESS.byteSize());
            if (!languages.equals(MemorySegment.NULL)) {
                languages = languages.reinterpret(4096);
                long at = 0;
                for (int priority; at < languages.byteSize() && (priority = languages.get(JAVA_BYTE, at)) != 0; ) {
                    String language = languages.getString(at + 1);
                    put(byKey, priorities, language, identifier, priority);
                    at += 1 + language.getBytes(StandardCharsets.UTF_8).length + 1;
                }
            }
        }
        return Map.copyOf(byKey);
    }

    private static void put(Map<String, String> byKey, Map<String, Integer> priorities, String key,
            String identifier, int priority) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        if (k.isEmpty()) {
            return;
        }
        Integer known = priorities.get(k);
        if (known == null || priority < known) {
            byKey.put(k, identifier);
            priorities.put(k, priority);
        }
    }

    private static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? "" : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new ParleyException("libespeak-ng lacks " + name));
    }
}
