package dev.parley.twilio;

import dev.parley.twilio.TwilioMessage.Clear;
import dev.parley.twilio.TwilioMessage.Connected;
import dev.parley.twilio.TwilioMessage.Dtmf;
import dev.parley.twilio.TwilioMessage.Inbound;
import dev.parley.twilio.TwilioMessage.Mark;
import dev.parley.twilio.TwilioMessage.Media;
import dev.parley.twilio.TwilioMessage.OutboundMark;
import dev.parley.twilio.TwilioMessage.OutboundMedia;
import dev.parley.twilio.TwilioMessage.Start;
import dev.parley.twilio.TwilioMessage.Stop;
import dev.parley.twilio.TwilioProtocolException.Reason;
import java.util.Optional;

/**
 * The protocol rules of one Media Streams connection, on top of {@link TwilioCodec}: {@code connected}
 * (optional) before {@code start}; exactly one {@code start}, which fixes the stream id; every later
 * message carries that id; sequence numbers strictly increase; nothing after {@code stop}.
 * Not thread-safe: one instance per connection, used by the connection's reader.
 */
public final class TwilioStreamState {
    private enum Phase { NEW, STARTED, STOPPED }

    private Phase phase = Phase.NEW;
    private @org.jspecify.annotations.Nullable Start start;
    private long lastSequence = -1;

    /** Checks {@code message} against the stream so far and records it; returns it unchanged. */
    public <M extends Inbound> M accept(M message) {
        if (phase == Phase.STOPPED) {
            throw order("message after stop");
        }
        switch (message) {
            case Connected c -> {
                if (phase != Phase.NEW) {
                    throw order("connected after start");
                }
            }
            case Start s -> {
                if (phase != Phase.NEW) {
                    throw order("second start");
                }
                sequence(s.sequenceNumber());
                start = s;
                phase = Phase.STARTED;
            }
            case Media m -> streamMessage(m.streamSid(), m.sequenceNumber());
            case Mark m -> streamMessage(m.streamSid(), m.sequenceNumber());
            case Dtmf d -> streamMessage(d.streamSid(), d.sequenceNumber());
            case Stop s -> {
                streamMessage(s.streamSid(), s.sequenceNumber());
                phase = Phase.STOPPED;
            }
        }
        return message;
    }

    /** The {@code start} message, once it arrived. */
    public Optional<Start> start() {
        return Optional.ofNullable(start);
    }

    /** The stream id, once {@code start} arrived. */
    public Optional<String> streamSid() {
        return start().map(Start::streamSid);
    }

    public boolean started() {
        return phase != Phase.NEW;
    }

    public boolean stopped() {
        return phase == Phase.STOPPED;
    }

    /** Audio for this stream; refused before {@code start} (Twilio ignores anything sent earlier). */
    public OutboundMedia media(byte[] mulaw) {
        return new OutboundMedia(requireStreamSid(), mulaw);
    }

    public OutboundMark mark(String name) {
        return new OutboundMark(requireStreamSid(), name);
    }

    public Clear clear() {
        return new Clear(requireStreamSid());
    }

    private String requireStreamSid() {
        Start s = start;
        if (s == null) {
            throw order("cannot send before start");
        }
        return s.streamSid();
    }

    private void streamMessage(String streamSid, long sequenceNumber) {
        Start s = start;
        if (s == null) {
            throw order("message before start");
        }
        if (!s.streamSid().equals(streamSid)) {
            throw new TwilioProtocolException(Reason.WRONG_STREAM_ID, "streamSid is not this stream's");
        }
        sequence(sequenceNumber);
    }

    private void sequence(long sequenceNumber) {
        if (sequenceNumber <= lastSequence) {
            throw order("sequenceNumber " + sequenceNumber + " does not follow " + lastSequence);
        }
        lastSequence = sequenceNumber;
    }

    private static TwilioProtocolException order(String what) {
        return new TwilioProtocolException(Reason.OUT_OF_ORDER, what);
    }
}
