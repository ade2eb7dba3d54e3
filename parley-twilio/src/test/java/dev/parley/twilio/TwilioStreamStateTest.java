package dev.parley.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.twilio.TwilioMessage.Connected;
import dev.parley.twilio.TwilioMessage.Dtmf;
import dev.parley.twilio.TwilioMessage.Mark;
import dev.parley.twilio.TwilioMessage.Media;
import dev.parley.twilio.TwilioMessage.MediaFormat;
import dev.parley.twilio.TwilioMessage.Start;
import dev.parley.twilio.TwilioMessage.Stop;
import dev.parley.twilio.TwilioMessage.Track;
import dev.parley.twilio.TwilioProtocolException.Reason;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TwilioStreamStateTest {
    private static final String SID = "MZ1";
    private final TwilioStreamState state = new TwilioStreamState();

    private static Start start(long seq) {
        return new Start(seq, SID, "AC1", "CA1", List.of(Track.INBOUND), Map.of(), MediaFormat.MULAW_8K_MONO);
    }

    private static Media media(long seq, String sid) {
        return new Media(seq, sid, Track.INBOUND, seq - 1, 20 * (seq - 1), new byte[160]);
    }

    private static void fails(Reason reason, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TwilioProtocolException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void acceptsTheDocumentedSequence() {
        state.accept(new Connected("Call", "1.0.0"));
        assertThat(state.streamSid()).isEmpty();
        state.accept(start(1));
        assertThat(state.streamSid()).contains(SID);
        assertThat(state.start()).map(Start::callSid).contains("CA1");
        state.accept(media(2, SID));
        state.accept(new Dtmf(3, SID, "inbound_track", "5"));
        state.accept(new Mark(4, SID, "m1"));
        state.accept(new Stop(5, SID, "AC1", "CA1"));
        assertThat(state.stopped()).isTrue();
    }

    @Test
    void connectedIsOptional() {
        state.accept(start(1));
        assertThat(state.started()).isTrue();
    }

    @Test
    void mediaBeforeStartIsOutOfOrder() {
        fails(Reason.OUT_OF_ORDER, () -> state.accept(media(2, SID)));
        fails(Reason.OUT_OF_ORDER, () -> state.media(new byte[160]));
        fails(Reason.OUT_OF_ORDER, state::clear);
    }

    @Test
    void secondStartAndLateConnectedAreOutOfOrder() {
        state.accept(start(1));
        fails(Reason.OUT_OF_ORDER, () -> state.accept(start(2)));
        fails(Reason.OUT_OF_ORDER, () -> state.accept(new Connected("Call", "1.0.0")));
    }

    @Test
    void foreignStreamIdIsRefused() {
        state.accept(start(1));
        fails(Reason.WRONG_STREAM_ID, () -> state.accept(media(2, "MZ2")));
        fails(Reason.WRONG_STREAM_ID, () -> state.accept(new Mark(3, "MZ2", "m")));
        fails(Reason.WRONG_STREAM_ID, () -> state.accept(new Stop(4, "MZ2", "AC1", "CA1")));
        assertThat(state.stopped()).isFalse();
    }

    @Test
    void sequenceNumbersMustIncrease() {
        state.accept(start(1));
        state.accept(media(2, SID));
        fails(Reason.OUT_OF_ORDER, () -> state.accept(media(2, SID)));
        state.accept(media(7, SID)); // gaps are tolerated
    }

    @Test
    void nothingAfterStop() {
        state.accept(start(1));
        state.accept(new Stop(2, SID, "AC1", "CA1"));
        fails(Reason.OUT_OF_ORDER, () -> state.accept(media(3, SID)));
    }

    @Test
    void outboundMessagesCarryTheStreamId() {
        state.accept(start(1));
        assertThat(state.media(new byte[] {1}).streamSid()).isEqualTo(SID);
        assertThat(state.mark("m").name()).isEqualTo("m");
        assertThat(state.clear().streamSid()).isEqualTo(SID);
    }
}
