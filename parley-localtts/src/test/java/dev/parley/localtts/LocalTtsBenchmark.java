package dev.parley.localtts;

import dev.parley.spi.TextToSpeech;
import dev.parley.spi.TtsEvent;
import dev.parley.spi.TtsRequest;
import dev.parley.spi.TtsStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Time to first audio and real-time factor of both engines, through the public streaming API
 * (send + finish, read to the end). Not a test: run by hand, e.g.
 * {@code java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.parley.localtts.LocalTtsBenchmark}.
 */
public final class LocalTtsBenchmark {
    private static final List<String> ENGLISH = List.of(
            "I would like two large pepperoni pizzas and a diet coke.",
            "Can I get a cheeseburger with no onions?",
            "Yes, that is correct.",
            "Your total is $27.50, and it will be ready in twenty minutes.",
            "Would you like to add garlic bread or a dessert to your order today?",
            "Thank you for calling Tony's Pizza, goodbye.");
    private static final List<String> ARABIC = List.of("مرحبا، أريد بيتزا كبيرة من فضلك.", "شكرا جزيلا. طلبك جاهز.");
    private static final List<String> URDU = List.of("مجھے دو بڑے پیپرونی پیزا چاہئیں۔", "آپ کا آرڈر تیار ہے۔ شکریہ۔");

    private LocalTtsBenchmark() {}

    record Run(double firstAudioMs, double totalMs, double audioMs) {}

    static Run run(TextToSpeech tts, String language, int rate, String text) {
        TtsStream s = tts.open(new TtsRequest("bench", rate, language, ""));
        long start = System.nanoTime();
        s.send(text);
        s.finish();
        long first = -1;
        long samples = 0;
        for (Optional<TtsEvent> e = s.next(); e.isPresent(); e = s.next()) {
            if (e.get() instanceof TtsEvent.Audio a) {
                if (first < 0) {
                    first = System.nanoTime() - start;
                }
                samples += a.frame().length();
            }
        }
        long total = System.nanoTime() - start;
        return new Run(first / 1e6, total / 1e6, samples * 1000.0 / rate);
    }

    static void measure(String label, TextToSpeech tts, String language, int rate, List<String> texts, int rounds) {
        for (int i = 0; i < 10; i++) {
            run(tts, language, rate, texts.get(i % texts.size()));
        }
        List<Double> firsts = new ArrayList<>();
        double total = 0;
        double audio = 0;
        for (int r = 0; r < rounds; r++) {
            for (String t : texts) {
                Run run = run(tts, language, rate, t);
                firsts.add(run.firstAudioMs());
                total += run.totalMs();
                audio += run.audioMs();
            }
        }
        double[] f = firsts.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-28s rate %5d  first audio p50 %6.2f ms  p95 %6.2f ms  RTF %.4f  (%d runs, %.1f s audio)%n",
                label, rate, f[f.length / 2], f[(int) (f.length * 0.95)], total / audio, f.length, audio / 1000);
    }

    static void concurrent(String label, TextToSpeech tts, int streams) throws Exception {
        double[] firsts = new double[streams];
        long start = System.nanoTime();
        double audio = 0;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                String text = ENGLISH.get(i % ENGLISH.size());
                futures.add(executor.submit(() -> run(tts, "en", 8000, text)));
            }
            for (int i = 0; i < streams; i++) {
                Run r = futures.get(i).get();
                firsts[i] = r.firstAudioMs();
                audio += r.audioMs();
            }
        }
        double wall = (System.nanoTime() - start) / 1e6;
        Arrays.sort(firsts);
        System.out.printf("%-28s %d concurrent streams: first audio p50 %6.2f ms  max %6.2f ms  wall %6.1f ms for %.1f s audio%n",
                label, streams, firsts[streams / 2], firsts[streams - 1], wall, audio / 1000);
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        FreeTts free = FreeTts.shared();
        System.out.printf("FreeTTS init (%d voices, incl. warm-up): %.0f ms%n", free.voiceCount(), (System.nanoTime() - t0) / 1e6);
        for (int rate : new int[] {8000, 16000, 24000}) {
            measure("FreeTTS en", free, "en-US", rate, ENGLISH, 5);
        }
        for (int i = 0; i < 3; i++) {
            concurrent("FreeTTS (" + free.voiceCount() + " voices)", free, 10);
        }
        try (FreeTts single = FreeTts.builder().voices(1).build()) {
            for (int i = 0; i < 3; i++) {
                concurrent("FreeTTS (1 voice)", single, 10);
            }
        }
        if (EspeakTts.isAvailable()) {
            t0 = System.nanoTime();
            EspeakTts espeak = EspeakTts.create();
            System.out.printf("espeak-ng init: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            measure("espeak-ng en-us", espeak, "en-US", 8000, ENGLISH, 5);
            measure("espeak-ng en-us", espeak, "en-US", 16000, ENGLISH, 5);
            measure("espeak-ng ar", espeak, "ar", 8000, ARABIC, 10);
            measure("espeak-ng ur", espeak, "ur", 8000, URDU, 10);
            for (int i = 0; i < 3; i++) {
                concurrent("espeak-ng", espeak, 10);
            }
        }
    }
}
