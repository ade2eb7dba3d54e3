package dev.parley.audio;

/**
 * ITU-T G.711 companding: μ-law and A-law, bit-exact with the G.191 reference implementation.
 *
 * <p>The reference works on 14-bit (μ-law) and 13-bit (A-law) linear values; here 16-bit PCM is
 * reduced to those by arithmetic shift (dropping the 2 or 3 low bits), and decoded values are
 * scaled back to the 16-bit range. Negative inputs use the one's complement ({@code ~x}) as the
 * reference does, so {@code -1} encodes like {@code -0}.
 *
 * <p>Encoding uses a few integer operations (no branches on segment, no tables); decoding is a
 * lookup in a 256-entry table. All methods are pure and thread-safe.
 *
 * <p>μ-law has two codes for zero: {@code 0xFF} (+0) and {@code 0x7F} (−0). Both decode to 0;
 * 0 encodes to {@code 0xFF}. A-law has no zero: code {@code 0xD5} decodes to +8.
 */
public final class G711 {
    private static final short[] MULAW_TABLE = new short[256];
    private static final short[] ALAW_TABLE = new short[256];

    /** The μ-law bias, in 14-bit units, added to the magnitude before finding the segment. */
    private static final int MULAW_BIAS = 33;
    /** The largest biased 14-bit magnitude μ-law can represent. */
    private static final int MULAW_CLIP = 0x1FFF;

    static {
        for (int code = 0; code < 256; code++) {
            MULAW_TABLE[code] = (short) expandMuLaw(code);
            ALAW_TABLE[code] = (short) expandALaw(code);
        }
    }

    private G711() {}

    /** Encodes one 16-bit PCM sample to a μ-law code. */
    public static byte encodeMuLaw(short pcm) {
        int sign;
        int magnitude;
        if (pcm < 0) {
            magnitude = (~pcm) >> 2;
            sign = 0x00;
        } else {
            magnitude = pcm >> 2;
            sign = 0x80;
        }
        magnitude = Math.min(magnitude + MULAW_BIAS, MULAW_CLIP);
        // the biased magnitude is in [33, 8191]: its top bit is bit 5 (segment 0) .. bit 12 (segment 7)
        int segment = 26 - Integer.numberOfLeadingZeros(magnitude);
        int mantissa = (magnitude >> (segment + 1)) & 0x0F;
        return (byte) (sign | (0x7F ^ ((segment << 4) | mantissa)));
    }

    /** Decodes one μ-law code to 16-bit PCM (range ±32124). */
    public static short decodeMuLaw(byte code) {
        return MULAW_TABLE[code & 0xFF];
    }

    /** Encodes one 16-bit PCM sample to an A-law code (even bits inverted, as transmitted). */
    public static byte encodeALaw(short pcm) {
        int sign;
        int magnitude;
        if (pcm < 0) {
            magnitude = (~pcm) >> 4;
            sign = 0x00;
        } else {
            magnitude = pcm >> 4;
            sign = 0x80;
        }
        // 12-bit magnitude: segments 0 and 1 are linear (step 1), then each segment doubles the step
        int index;
        if (magnitude < 32) {
            index = magnitude;
        } else {
            int segment = 28 - Integer.numberOfLeadingZeros(magnitude); // top bit 5..10 -> segment 2..7
            index = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0F);
        }
        return (byte) ((sign | index) ^ 0x55);
    }

    /** Decodes one A-law code to 16-bit PCM (range ±32256; never zero). */
    public static short decodeALaw(byte code) {
        return ALAW_TABLE[code & 0xFF];
    }

    /** Encodes one sample in the given G.711 encoding. */
    public static byte encode(short pcm, AudioFormat.Encoding encoding) {
        return switch (encoding) {
            case MULAW -> encodeMuLaw(pcm);
            case ALAW -> encodeALaw(pcm);
            case PCM16 -> throw notG711(encoding);
        };
    }

    /** Decodes one code in the given G.711 encoding. */
    public static short decode(byte code, AudioFormat.Encoding encoding) {
        return switch (encoding) {
            case MULAW -> decodeMuLaw(code);
            case ALAW -> decodeALaw(code);
            case PCM16 -> throw notG711(encoding);
        };
    }

    /** Encodes {@code length} samples of {@code src} from {@code srcOffset} into {@code dst} at {@code dstOffset}. */
    public static void encode(
            short[] src, int srcOffset, byte[] dst, int dstOffset, int length, AudioFormat.Encoding encoding) {
        java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
        java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
        switch (encoding) {
            case MULAW -> {
                for (int i = 0; i < length; i++) {
                    dst[dstOffset + i] = encodeMuLaw(src[srcOffset + i]);
                }
            }
            case ALAW -> {
                for (int i = 0; i < length; i++) {
                    dst[dstOffset + i] = encodeALaw(src[srcOffset + i]);
                }
            }
            case PCM16 -> throw notG711(encoding);
        }
    }

    /** Decodes {@code length} codes of {@code src} from {@code srcOffset} into {@code dst} at {@code dstOffset}. */
    public static void decode(
            byte[] src, int srcOffset, short[] dst, int dstOffset, int length, AudioFormat.Encoding encoding) {
        java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
        java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
        short[] table = switch (encoding) {
            case MULAW -> MULAW_TABLE;
            case ALAW -> ALAW_TABLE;
            case PCM16 -> throw notG711(encoding);
        };
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = table[src[srcOffset + i] & 0xFF];
        }
    }

    /** Encodes a whole array. */
    public static byte[] encode(short[] pcm, AudioFormat.Encoding encoding) {
        byte[] out = new byte[pcm.length];
        encode(pcm, 0, out, 0, pcm.length, encoding);
        return out;
    }

    /** Decodes a whole array. */
    public static short[] decode(byte[] codes, AudioFormat.Encoding encoding) {
        short[] out = new short[codes.length];
        decode(codes, 0, out, 0, codes.length, encoding);
        return out;
    }

    /** μ-law codes of a whole array. */
    public static byte[] encodeMuLaw(short[] pcm) {
        return encode(pcm, AudioFormat.Encoding.MULAW);
    }

    /** PCM of a whole array of μ-law codes. */
    public static short[] decodeMuLaw(byte[] codes) {
        return decode(codes, AudioFormat.Encoding.MULAW);
    }

    /** A-law codes of a whole array. */
    public static byte[] encodeALaw(short[] pcm) {
        return encode(pcm, AudioFormat.Encoding.ALAW);
    }

    /** PCM of a whole array of A-law codes. */
    public static short[] decodeALaw(byte[] codes) {
        return decode(codes, AudioFormat.Encoding.ALAW);
    }

    /** The codes of a frame (its sample rate is not checked: G.711 is usually 8 kHz, but need not be). */
    public static byte[] encode(AudioFrame frame, AudioFormat.Encoding encoding) {
        return encode(frame.samples(), encoding);
    }

    /** A PCM16 frame from {@code length} codes of {@code codes} starting at {@code offset}. */
    public static AudioFrame decodeFrame(
            byte[] codes, int offset, int length, AudioFormat.Encoding encoding, int sampleRate) {
        short[] out = new short[length];
        decode(codes, offset, out, 0, length, encoding);
        return new AudioFrame(out, sampleRate);
    }

    /** A PCM16 frame from all of {@code codes}, in {@code format} (which must be a G.711 encoding). */
    public static AudioFrame decodeFrame(byte[] codes, AudioFormat format) {
        return decodeFrame(codes, 0, codes.length, format.encoding(), format.sampleRate());
    }

    private static IllegalArgumentException notG711(AudioFormat.Encoding encoding) {
        return new IllegalArgumentException("not a G.711 encoding: " + encoding);
    }

    /** μ-law expansion (G.711 table 2a), scaled from 14 to 16 bits. */
    private static int expandMuLaw(int code) {
        int inverted = ~code & 0xFF;
        int segment = (inverted >> 4) & 0x07;
        int mantissa = inverted & 0x0F;
        // 14-bit magnitude: interval midpoint of (segment, mantissa) with the bias removed
        int magnitude = ((((mantissa << 1) | 0x21) << segment) - MULAW_BIAS);
        int value = magnitude << 2;
        return (code & 0x80) != 0 ? value : -value;
    }

    /** A-law expansion (G.711 table 1a), scaled from 13 to 16 bits. */
    private static int expandALaw(int code) {
        int bits = (code ^ 0x55) & 0x7F;
        int segment = bits >> 4;
        int mantissa = bits & 0x0F;
        // 13-bit magnitude (with a half step for the interval midpoint), in units of 1/2 of the lowest step
        int magnitude = segment == 0 ? (mantissa << 1) | 1 : ((mantissa << 1) | 0x21) << (segment - 1);
        int value = magnitude << 3;
        return (code & 0x80) != 0 ? value : -value;
    }
}
