package dev.parley.testkit.fakes.deepgram;

import java.time.Duration;
import java.util.List;

/** The fake's behaviour, fixed per connection when it opens. */
record Settings(
        List<String> utterances,
        Duration finalLatency,
        Duration interimEvery,
        Duration idleTimeout,
        Duration silenceFinalEvery,
        double speechThresholdDbfs,
        ListenFault listenFault,
        Duration timeToFirstByte,
        Duration speechPerCharacter,
        double speakPacing,
        Duration speakFrame,
        Duration clearDelay,
        int maxFlushesPerMinute,
        SpeakFault speakFault,
        Duration stallFor) {}
