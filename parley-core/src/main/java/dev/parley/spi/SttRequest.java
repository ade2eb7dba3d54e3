package dev.parley.spi;

import dev.parley.audio.AudioFormat;
import java.util.List;

/**
 * What a recognition stream is opened with.
 *
 * @param callId the call, for logs and provider request tags
 * @param format the audio that {@link SttStream#send} will receive (PCM16 at this rate)
 * @param language BCP-47 language tag, e.g. "en-US"
 * @param vocabulary domain words and phrases that should be recognised (menu items, names)
 */
public record SttRequest(String callId, AudioFormat format, String language, List<String> vocabulary) {
    public SttRequest {
        vocabulary = List.copyOf(vocabulary);
    }
}
