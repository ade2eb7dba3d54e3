package dev.parley.internal;

import dev.parley.machine.CallMachine;
import dev.parley.machine.CallState;
import dev.parley.machine.Effect;
import dev.parley.machine.Journal;
import dev.parley.machine.Signal;
import dev.parley.CallClock;
import dev.parley.CallEvent;
import dev.parley.spi.CallTransport;
import dev.parley.spi.ChatMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one thread that owns a call's state: takes signals from its mailbox, asks the {@link CallMachine} for a
 * decision, journals it, and applies the effects. Stages never touch call state; they post signals.
 */
final class Conductor {
    private static final Logger LOG = LoggerFactory.getLogger(Conductor.class);
    private static final Duration DRAIN = Duration.ofSeconds(3);

    private final CallMachine machine;
    private final CallClock clock;
    private final Journal journal;
    private final CallTransport transport;
    private final TaskScope callScope;
    private final Ears ears;
    private final Consumer<CallEvent> events;
    private final LinkedBlockingQueue<Signal> mailbox = new LinkedBlockingQueue<>();
    private final Map<String, CallClock.Timer> timers = new HashMap<>();
    private final Map<Integer, Reply> replies = new HashMap<>();
    private CallRuntime rt;
    private volatile CallState state;

    Conductor(CallMachine machine, CallClock clock, Journal journal, CallTransport transport, TaskScope callScope,
              Ears ears, Consumer<CallEvent> events) {
        this.machine = machine;
        this.clock = clock;
        this.journal = journal;
        this.transport = transport;
        this.callScope = callScope;
        this.ears = ears;
        this.events = events;
        this.state = machine.initial();
    }

    void runtime(CallRuntime runtime) {
        this.rt = runtime;
    }

    /** Posts a signal from any thread. */
    void post(Signal signal) {
        mailbox.add(signal);
    }

    CallState state() {
        return state;
    }

    /** The conductor loop: runs until the call has ended and its replies have finished. */
    Void run() throws InterruptedException {
        MDC.put("callId", rt.callId());
        post(new Signal.CallStarted());
        Instant endedAt = null;
        try {
            while (true) {
                Signal signal;
                if (endedAt == null) {
                    signal = mailbox.take();
                } else {
                    Duration left = DRAIN.minus(Duration.between(endedAt, clock.now()));
                    if (state.liveReplyId() < 0 || left.isNegative()) {
                        break;
                    }
                    signal = mailbox.poll(left.toNanos(), TimeUnit.NANOSECONDS);
                    if (signal == null) {
                        break;
                    }
                }
                step(signal);
                if (state.ended() && endedAt == null) {
                    endedAt = clock.now();
                }
            }
        } finally {
            shutdown();
        }
        return null;
    }

    private void step(Signal signal) {
        Instant now = clock.now();
        CallMachine.Decision d = machine.on(state, signal, now);
        state = d.state();
        journal.append(now, signal, d.effects());
        for (Effect e : d.effects()) {
            try {
                apply(e);
            } catch (RuntimeException ex) {
                LOG.warn("effect {} failed: {}", e.getClass().getSimpleName(), ex.toString());
            }
        }
    }

    private void apply(Effect effect) {
        switch (effect) {
            case Effect.ClearPlayback c -> {
                replies.values().forEach(Reply::mute);
                rt.sink().clear();
            }
            case Effect.StartReply s -> startReply(s);
            case Effect.ReleaseReply r -> {
                Reply reply = replies.get(r.replyId());
                if (reply != null) {
                    reply.release();
                }
            }
            case Effect.CancelReply c -> {
                Reply reply = replies.get(c.replyId());
                if (reply != null) {
                    reply.cancel();
                }
            }
            case Effect.Say s -> {
                Reply reply = replies.get(s.replyId());
                if (reply != null) {
                    reply.say(s.text());
                }
            }
            case Effect.StartTimer t -> {
                String name = t.name();
                timers.put(name, clock.schedule(t.at(), () -> post(new Signal.TimerFired(name))));
            }
            case Effect.CancelTimer t -> {
                CallClock.Timer timer = timers.remove(t.name());
                if (timer != null) {
                    timer.cancel();
                }
            }
            case Effect.FinalizeTranscript f -> ears.finalizeTurn();
            case Effect.Transfer t -> {
                if (!transport.transfer(t.reason())) {
                    LOG.warn("transport cannot transfer the call; hanging up");
                    transport.hangUp();
                }
            }
            case Effect.HangUp h -> transport.hangUp();
            case Effect.Emit e -> {
                try {
                    events.accept(e.event());
                } catch (RuntimeException ex) {
                    LOG.warn("call event listener failed: {}", ex.toString());
                }
            }
        }
    }

    private void startReply(Effect.StartReply s) {
        List<ChatMessage> messages = new java.util.ArrayList<>(state.history());
        if (!s.userText().isBlank()) {
            messages.add(new ChatMessage.User(s.userText()));
        }
        Reply reply = new Reply(new ReplySpec(s.replyId(), messages, s.fixedText(), s.gated(), s.interruptible()), rt);
        replies.put(s.replyId(), reply);
        callScope.fork("reply-" + s.replyId(), () -> {
            MDC.put("callId", rt.callId());
            MDC.put("replyId", Integer.toString(s.replyId()));
            try {
                reply.run();
            } finally {
                MDC.clear();
            }
            return null;
        });
        replies.keySet().removeIf(id -> id < s.replyId() - 4); // old replies have finished long ago
    }

    private void shutdown() {
        for (CallClock.Timer t : timers.values()) {
            t.cancel();
        }
        timers.clear();
        replies.values().forEach(Reply::cancel);
        ears.close();
        transport.close();
    }
}
