package dev.parley.testkit;

import dev.parley.audio.WavAudio;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link TwilioCallerSimulator} call did and measured. All times are on one clock: the
 * monotonic clock of the simulator, with zero when {@code start} was sent ("the stream clock").
 *
 * @param outcome            how the call went
 * @param detail             the rejection reason ({@code busy}, {@code rejected}, {@code hangup}) or what failed; empty when connected
 * @param webhookStatus      HTTP status of the voice webhook (0 if it was not reached)
 * @param twiml              the webhook's response body
 * @param streamParameters   the {@code <Parameter>}s of the {@code <Stream>}, sent back as {@code customParameters}
 * @param turns              one entry per caller turn that started, in order
 * @param clears             {@code clear} messages received
 * @param marksReceived      {@code mark} messages received
 * @param marksEchoed        names of the marks echoed back, in echo order
 * @param dtmfSent           DTMF digits sent, in order
 * @param agentAudioReceived total agent audio received
 * @param agentAudioPlayed   agent audio played by the simulated buffer (cleared audio is not played)
 * @param firstAgentAudio    stream clock time of the first agent audio received (the greeting latency)
 * @param callDuration       stream clock time when the call ended
 * @param maxSendLateness    the worst delay of a media frame behind its wall-clock slot; if it is large
 *                           the simulator was starved and its timings are suspect
 * @param hungUp             whether the caller hung up (sent {@code stop} and closed)
 * @param serverClosed       whether the server closed the socket first
 * @param errors             protocol violations and script problems seen (empty on a clean call)
 * @param recording          8 kHz stereo: left = caller audio as sent, right = agent audio as played
 *                           (empty when recording is off or the stream never started)
 */
public record TwilioCallerResult(
        Outcome outcome,
        String detail,
        int webhookStatus,
        String twiml,
        Map<String, String> streamParameters,
        List<Turn> turns,
        int clears,
        int marksReceived,
        List<String> marksEchoed,
        String dtmfSent,
        Duration agentAudioReceived,
        Duration agentAudioPlayed,
        Optional<Duration> firstAgentAudio,
        Duration callDuration,
        Duration maxSendLateness,
        boolean hungUp,
        boolean serverClosed,
        List<String> errors,
        WavAudio recording) {

    public TwilioCallerResult {
        streamParameters = Map.copyOf(streamParameters);
        turns = List.copyOf(turns);
        marksEchoed = List.copyOf(marksEchoed);
        errors = List.copyOf(errors);
    }

    /** How the call went. */
    public enum Outcome {
        /** The stream ran; the caller hung up or the server closed it. */
        CONNECTED,
        /** The TwiML refused the call ({@code <Reject>} or {@code <Hangup>}); see {@link #detail()}. */
        REJECTED,
        /** The TwiML had no {@code <Connect><Stream>}. */
        NO_STREAM,
        /** The webhook could not be reached or did not answer 200. */
        WEBHOOK_FAILED,
        /** The stream URL was invalid (Twilio error 31920) or the WebSocket handshake failed. */
        STREAM_FAILED
    }

    /**
     * One caller turn, measured.
     *
     * @param index           0-based turn number
     * @param startedAt       when its first frame was sent
     * @param endedAt         when its last frame was sent
     * @param firstVoicedAt   when its first voiced frame was sent (empty if no frame was voiced)
     * @param lastVoicedAt    when its last voiced frame was sent
     * @param interrupting    whether agent audio was queued or playing when the turn started
     * @param gap             last voiced frame sent → first agent audio received after it, before the next turn started
     * @param bargeInReaction for an interrupting turn: first voiced frame sent → first {@code clear} received after it
     * @param agentAudio      agent audio received after the last voiced frame, before the next turn started
     */
    public record Turn(
            int index,
            Duration startedAt,
            Duration endedAt,
            Optional<Duration> firstVoicedAt,
            Optional<Duration> lastVoicedAt,
            boolean interrupting,
            Optional<Duration> gap,
            Optional<Duration> bargeInReaction,
            Duration agentAudio) {}

    static TwilioCallerResult notConnected(Outcome outcome, String detail, int status, String twiml, Map<String, String> params) {
        return new TwilioCallerResult(outcome, detail, status, twiml, params, List.of(), 0, 0, List.of(), "",
                Duration.ZERO, Duration.ZERO, Optional.empty(), Duration.ZERO, Duration.ZERO, false, false,
                List.of(), new WavAudio(8000, 2, new short[0]));
    }
}
