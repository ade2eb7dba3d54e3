package dev.parley.audio;

import dev.parley.ParleyException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes RIFF WAVE files.
 *
 * <p>Reads PCM 8-bit (unsigned) and 16-bit, μ-law (format 7) and A-law (format 6), also when
 * wrapped in {@code WAVE_FORMAT_EXTENSIBLE}, with any number of channels up to 16; everything is
 * returned as PCM16 in a {@link WavAudio}. Unknown chunks ({@code LIST}, {@code fact}, {@code cue }, ...)
 * are skipped, odd-sized chunks are followed by their pad byte (a missing final pad byte is
 * tolerated), and a {@code data} size of {@code 0xFFFFFFFF} (left by streaming writers) means "to the
 * end of the file". Writes PCM16 with a plain 44-byte header.
 *
 * <p>Every failure, malformed input or I/O error, is a {@link ParleyException} saying what is wrong.
 */
public final class Wav {
    private static final int PCM = 1;
    private static final int ALAW = 6;
    private static final int MULAW = 7;
    private static final int EXTENSIBLE = 0xFFFE;
    private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

    private Wav() {}

    /** Reads a WAV file. */
    public static WavAudio read(Path path) {
        try {
            return read(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ParleyException("cannot read WAV file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads a WAV stream to its end (the stream is not closed). */
    public static WavAudio read(InputStream in) {
        try {
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new ParleyException("cannot read WAV stream: " + e.getMessage(), e);
        }
    }

    /** Parses a whole WAV file held in memory. */
    public static WavAudio read(byte[] file) {
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12) {
            throw malformed("file is " + file.length + " bytes, shorter than a RIFF header");
        }
        if (!id(buf, 0).equals("RIFF") || !id(buf, 8).equals("WAVE")) {
            throw malformed("not a RIFF WAVE file (starts with '" + id(buf, 0) + "')");
        }
        Format format = null;
        int position = 12;
        while (position + 8 <= file.length) {
            String chunk = id(buf, position);
            long size = Integer.toUnsignedLong(buf.getInt(position + 4));
            int body = position + 8;
            long available = file.length - body;
            if (chunk.equals("data")) {
                if (format == null) {
                    throw malformed("data chunk before the fmt chunk");
                }
                if (size == UNKNOWN_SIZE) {
                    size = available - available % format.blockAlign;
                } else if (size > available) {
                    throw malformed("truncated: data chunk declares " + size + " bytes, " + available + " present");
                }
                return decode(buf, body, (int) size, format);
            }
            if (size > available) {
                throw malformed("truncated: '" + chunk + "' chunk declares " + size + " bytes, " + available + " present");
            }
            if (chunk.equals("fmt ")) {
                format = parseFormat(buf, body, (int) size);
            }
            position = (int) Math.min(file.length, body + size + (size & 1));
        }
        throw malformed(format == null ? "no fmt chunk" : "no data chunk");
    }

    /** Writes PCM16 WAV to a file, replacing it. */
    public static void write(Path path, WavAudio audio) {
        try (OutputStream out = Files.newOutputStream(path)) {
            write(out, audio);
        } catch (IOException e) {
            throw new ParleyException("cannot write WAV file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes PCM16 WAV to a stream (flushed, not closed). */
    public static void write(OutputStream out, WavAudio audio) {
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 16 * 1024);
            buffered.write(header(audio));
            byte[] block = new byte[8192];
            short[] samples = audio.samples();
            for (int start = 0; start < samples.length; start += block.length / 2) {
                int count = Math.min(block.length / 2, samples.length - start);
                for (int i = 0; i < count; i++) {
                    short s = samples[start + i];
                    block[2 * i] = (byte) s;
                    block[2 * i + 1] = (byte) (s >> 8);
                }
                buffered.write(block, 0, count * 2);
            }
            buffered.flush();
        } catch (IOException e) {
            throw new ParleyException("cannot write WAV stream: " + e.getMessage(), e);
        }
    }

    /** The bytes of a PCM16 WAV file. */
    public static byte[] toBytes(WavAudio audio) {
        var out = new java.io.ByteArrayOutputStream(44 + audio.samples().length * 2);
        write(out, audio);
        return out.toByteArray();
    }

    private static byte[] header(WavAudio audio) {
        long dataBytes = 2L * audio.samples().length;
        if (dataBytes + 36 > UNKNOWN_SIZE - 1) {
            throw new ParleyException("audio too long for a WAV file: " + dataBytes + " bytes");
        }
        int blockAlign = 2 * audio.channels();
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt((int) (36 + dataBytes)).put(ascii("WAVE"));
        h.put(ascii("fmt ")).putInt(16);
        h.putShort((short) PCM).putShort((short) audio.channels()).putInt(audio.sampleRate());
        h.putInt(audio.sampleRate() * blockAlign).putShort((short) blockAlign).putShort((short) 16);
        h.put(ascii("data")).putInt((int) dataBytes);
        return h.array();
    }

    /** The parts of a fmt chunk the decoder needs. */
    private record Format(int code, int channels, int sampleRate, int blockAlign, int bits) {}

    private static Format parseFormat(ByteBuffer buf, int at, int size) {
        if (size < 16) {
            throw malformed("fmt chunk is " + size + " bytes, at least 16 expected");
        }
        int code = Short.toUnsignedInt(buf.getShort(at));
        int channels = Short.toUnsignedInt(buf.getShort(at + 2));
        long sampleRate = Integer.toUnsignedLong(buf.getInt(at + 4));
        int blockAlign = Short.toUnsignedInt(buf.getShort(at + 12));
        int bits = Short.toUnsignedInt(buf.getShort(at + 14));
        if (code == EXTENSIBLE) {
            if (size < 40) {
                throw malformed("WAVE_FORMAT_EXTENSIBLE fmt chunk is " + size + " bytes, 40 expected");
            }
            code = Short.toUnsignedInt(buf.getShort(at + 24)); // first two bytes of the sub-format GUID
        }
        if (channels < 1 || channels > 16) {
            throw malformed("unsupported channel count " + channels);
        }
        if (sampleRate < 1000 || sampleRate > 192_000) {
            throw malformed("unsupported sample rate " + sampleRate);
        }
        int expectedBits = switch (code) {
            case PCM -> bits == 8 || bits == 16 ? bits : -1;
            case ALAW, MULAW -> 8;
            default -> throw malformed("unsupported encoding: format code " + code + " (PCM, A-law and μ-law only)");
        };
        if (bits != expectedBits) {
            throw malformed("unsupported sample size: " + bits + " bits for format code " + code);
        }
        if (blockAlign != channels * bits / 8) {
            throw malformed("block align " + blockAlign + " does not match " + channels + " × " + bits + " bits");
        }
        return new Format(code, channels, (int) sampleRate, blockAlign, bits);
    }

    private static WavAudio decode(ByteBuffer buf, int at, int size, Format format) {
        if (size % format.blockAlign != 0) {
            throw malformed("data chunk of " + size + " bytes is not a whole number of " + format.blockAlign + "-byte frames");
        }
        short[] samples = new short[size / (format.bits / 8)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = switch (format.code) {
                case PCM -> format.bits == 16
                        ? buf.getShort(at + 2 * i)
                        : (short) (((buf.get(at + i) & 0xFF) - 128) << 8);
                case MULAW -> G711.decodeMuLaw(buf.get(at + i));
                case ALAW -> G711.decodeALaw(buf.get(at + i));
                default -> throw new IllegalStateException("format " + format.code);
            };
        }
        return new WavAudio(format.sampleRate, format.channels, samples);
    }

    private static String id(ByteBuffer buf, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (buf.get(at + i) & 0xFF);
        }
        return new String(c);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static ParleyException malformed(String what) {
        return new ParleyException("malformed WAV: " + what);
    }
}
