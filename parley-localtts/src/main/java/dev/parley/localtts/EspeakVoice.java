package dev.parley.localtts;

/** An espeak-ng voice name and speaking rate, as the opaque voice string a stream carries. */
record EspeakVoice(String name, int wordsPerMinute) {
    private static final char SEPARATOR = '|';

    String encode() {
        return name + SEPARATOR + wordsPerMinute;
    }

    static EspeakVoice decode(String voice) {
        int at = voice.lastIndexOf(SEPARATOR);
        return at < 0 ? new EspeakVoice(voice, 0)
                : new EspeakVoice(voice.substring(0, at), Integer.parseInt(voice.substring(at + 1)));
    }
}
