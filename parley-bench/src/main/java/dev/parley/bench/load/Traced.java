package dev.parley.bench.load;

import dev.parley.audio.AudioFrame;
import dev.parley.spi.ChatMessage;
import dev.parley.spi.LanguageModel;
import dev.parley.spi.LlmEvent;
import dev.parley.spi.LlmRequest;
import dev.parley.spi.LlmStream;
import dev.parley.spi.SpeechToText;
import dev.parley.spi.SttEvent;
import dev.parley.spi.SttRequest;
import dev.parley.spi.SttStream;
import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import dev.parley.spi.VadEvent;
import dev.parley.spi.VadSession;
import dev.parley.spi.VoiceActivityDetector;
import java.util.List;
import java.util.Optional;

/**
 * Provider wrappers that stamp a {@link CallTrace} and otherwise pass everything through. They cost a
 * {@code nanoTime} and a short lock per event; they never change what a provider says or when.
 */
final class Traced {
    private Traced() {}

    /**
     * Times speech transitions. The VAD lag of an end of speech is measured in audio time: the audio received when
     * the detector declared the end minus the end of the last frame above {@link CallerScript#VOICED_DBFS} — the
     * same frame at which the simulator starts its turn-gap clock. A start's lag is the audio received minus the
     * onset the detector reports.
     */
    record Vad(VoiceActivityDetector delegate, CallTrace trace) implements VoiceActivityDetector {
        @Override
        public VadSession open(int sampleRate) {
            VadSession s = delegate.open(sampleRate);
            return new VadSession() {
                private static final long QUIET = 300_000_000L;
                private long audio;
                private long lastVoicedEnd = -QUIET;
                private long voicedRunStart;

                @Override
                public List<VadEvent> accept(AudioFrame frame) {
                    long begin = audio;
                    audio += frame.duration().toNanos();
                    if (frame.levelDbfs() > CallerScript.VOICED_DBFS) {
                        if (begin - lastVoicedEnd >= QUIET) {
                            voicedRunStart = begin;
                        }
                        lastVoicedEnd = audio;
                    }
                    List<VadEvent> events = s.accept(frame);
                    for (VadEvent e : events) {
                        long now = System.nanoTime();
                        switch (e) {
                            case VadEvent.SpeechStarted st -> trace.speechStarted(now, audio - voicedRunStart);
                            case VadEvent.SpeechEnded en -> trace.speechEnded(now, audio - lastVoicedEnd);
                        }
                    }
                    return events;
                }

                @Override
                public float probability() {
                    return s.probability();
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    /** Times {@code finalizeTurn} calls and delivered finals. */
    record Stt(SpeechToText delegate, CallTrace trace) implements SpeechToText {
        @Override
        public SttStream open(SttRequest request) {
            SttStream s = delegate.open(request);
            return new SttStream() {
                @Override
                public void send(AudioFrame frame) {
                    s.send(frame);
                }

                @Override
                public void finalizeTurn() {
                    trace.finalizeCalled(System.nanoTime());
                    s.finalizeTurn();
                }

                @Override
                public void finish() {
                    s.finish();
                }

                @Override
                public Optional<SttEvent> next() {
                    Optional<SttEvent> e = s.next();
                    if (e.isPresent() && e.get() instanceof SttEvent.Final) {
                        trace.finalDelivered(System.nanoTime());
                    }
                    return e;
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    /** Times each request and its first token; the caller turns in the history tell which turn it answers. */
    record Llm(LanguageModel delegate, CallTrace trace) implements LanguageModel {
        @Override
        public LlmStream stream(LlmRequest request) {
            long at = System.nanoTime();
            int users = (int) request.messages().stream().filter(m -> m instanceof ChatMessage.User).count();
            CallTrace.LlmCall call = trace.llmCall(at, users, shape(request.messages()));
            LlmStream s = delegate.stream(request);
            return new LlmStream() {
                @Override
                public Optional<LlmEvent> next() {
                    Optional<LlmEvent> e = s.next();
                    if (call.firstToken == 0 && e.isPresent() && e.get() instanceof LlmEvent.TextDelta) {
                        call.firstToken = System.nanoTime();
                    }
                    return e;
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }

    /** The roles of a history, one letter each ({@code U}ser, {@code A}ssistant, {@code a} for an interrupted one). */
    static String shape(List<ChatMessage> messages) {
        var sb = new StringBuilder();
        for (ChatMessage m : messages) {
            sb.append(switch (m) {
                case ChatMessage.User u -> 'U';
                case ChatMessage.Assistant a -> a.interrupted() ? 'a' : 'A';
                case ChatMessage.ToolResult t -> 'T';
                case ChatMessage.System s -> 'S';
            });
        }
        return sb.toString();
    }

    /** Times each stream's opening (Parley opens it with the reply's first chunk) and its first audio. */
    record Tts(TextToSpeech delegate, CallTrace trace) implements TextToSpeech {
        @Override
        public TtsStream open(TtsRequest request) {
            CallTrace.TtsCall call = trace.ttsOpened(System.nanoTime());
            TtsStream s = delegate.open(request);
            return new TtsStream() {
                @Override
                public void send(String text) {
                    s.send(text);
                }

                @Override
                public void flush() {
                    s.flush();
                }

                @Override
                public void finish() {
                    s.finish();
                }

                @Override
                public Optional<TtsEvent> next() {
                    Optional<TtsEvent> e = s.next();
                    if (call.firstAudio == 0 && e.isPresent() && e.get() instanceof TtsEvent.Audio) {
                        call.firstAudio = System.nanoTime();
                    }
                    return e;
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }
}
