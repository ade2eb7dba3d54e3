package dev.parley.twilio;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One Twilio Media Streams message. {@link Inbound} messages travel from Twilio to the server,
 * {@link Outbound} ones from the server to Twilio (bidirectional streams only). Counters that
 * Twilio sends as decimal strings ({@code sequenceNumber}, {@code chunk}, {@code timestamp}) are
 * kept as given, parsed to {@code long}.
 *
 * <p>Records holding audio share their {@code payload} array, as {@link dev.parley.audio.AudioFrame}
 * does: whoever builds one hands the array over; readers must not change it. Their
 * {@code toString} prints the payload length, never its bytes.
 */
public sealed interface TwilioMessage {

    /** A message Twilio sends to the server. */
    sealed interface Inbound extends TwilioMessage {}

    /** A message the server sends to Twilio; always addressed to a stream. */
    sealed interface Outbound extends TwilioMessage {
        String streamSid();
    }

    /** Which leg of the call a media message carries. */
    enum Track {
        /** The caller's audio. */
        INBOUND("inbound"),
        /** Audio played to the caller (unidirectional {@code outbound_track}/{@code both_tracks} only). */
        OUTBOUND("outbound");

        private final String wire;

        Track(String wire) {
            this.wire = wire;
        }

        /** The JSON spelling, {@code inbound} or {@code outbound}. */
        public String wireName() {
            return wire;
        }
    }

    /** The audio format announced in {@code start}; Twilio always uses {@link #MULAW_8K_MONO}. */
    record MediaFormat(String encoding, int sampleRate, int channels) {
        public static final MediaFormat MULAW_8K_MONO = new MediaFormat("audio/x-mulaw", 8000, 1);
    }

    /** First message on every stream; it has no stream id and no sequence number. */
    record Connected(String protocol, String version) implements Inbound {}

    /** The stream is set up: ids, tracks, the {@code <Parameter>} values and the audio format. */
    record Start(
            long sequenceNumber,
            String streamSid,
            String accountSid,
            String callSid,
            List<Track> tracks,
            Map<String, String> customParameters,
            MediaFormat mediaFormat)
            implements Inbound {
        public Start {
            tracks = List.copyOf(tracks);
            customParameters = Map.copyOf(customParameters);
        }

        @Override
        public String toString() {
            // custom parameters may carry tokens; print their names only
            return "Start[seq=" + sequenceNumber + ", streamSid=" + streamSid + ", callSid=" + callSid
                    + ", tracks=" + tracks + ", parameters=" + customParameters.keySet().stream().sorted().toList()
                    + ", format=" + mediaFormat + "]";
        }
    }

    /** Caller audio: raw G.711 μ-law bytes at 8 kHz mono (decoded from base64). */
    record Media(long sequenceNumber, String streamSid, Track track, long chunk, long timestamp, byte[] payload)
            implements Inbound {
        @Override
        public boolean equals(Object o) {
            return o instanceof Media m && m.sequenceNumber == sequenceNumber && m.streamSid.equals(streamSid)
                    && m.track == track && m.chunk == chunk && m.timestamp == timestamp
                    && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Long.hashCode(sequenceNumber) + streamSid.hashCode()) + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Media[seq=" + sequenceNumber + ", streamSid=" + streamSid + ", track=" + track + ", chunk="
                    + chunk + ", timestamp=" + timestamp + ", payload=" + payload.length + " bytes]";
        }
    }

    /** Echo of a mark the server sent: audio queued before it has played (or was cleared). */
    record Mark(long sequenceNumber, String streamSid, String name) implements Inbound {}

    /** A keypad digit pressed by the caller; {@code track} is always {@code inbound_track}. */
    record Dtmf(long sequenceNumber, String streamSid, String track, String digit) implements Inbound {}

    /** The stream has ended (hang-up, redirect, or stream stopped). */
    record Stop(long sequenceNumber, String streamSid, String accountSid, String callSid) implements Inbound {}

    /** Audio to play to the caller: raw μ-law 8 kHz bytes, any length, no file header. */
    record OutboundMedia(String streamSid, byte[] payload) implements Outbound {
        @Override
        public boolean equals(Object o) {
            return o instanceof OutboundMedia m && m.streamSid.equals(streamSid) && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return 31 * streamSid.hashCode() + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "OutboundMedia[streamSid=" + streamSid + ", payload=" + payload.length + " bytes]";
        }
    }

    /** Asks Twilio to echo {@code name} once everything queued before it has played. */
    record OutboundMark(String streamSid, String name) implements Outbound {}

    /** Drops all queued audio at once (barge-in); pending marks are echoed straight away. */
    record Clear(String streamSid) implements Outbound {}
}
