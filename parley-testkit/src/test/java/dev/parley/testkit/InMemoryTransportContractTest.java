package dev.parley.testkit;

import dev.parley.audio.AudioFrame;

/** The contract at 20x playback speed. */
class InMemoryTransportContractTest extends TransportContract {
    static Connection connect(double speed) {
        var t = InMemoryTransport.builder().speed(speed).build();
        return new Connection(t, new FarEnd() {
            @Override
            public void sendAudio(AudioFrame frame) {
                t.sendAudio(frame);
            }

            @Override
            public void pressKey(String digit) {
                t.pressKey(digit);
            }

            @Override
            public void hangUp() {
                t.hangUpFromCaller();
            }

            @Override
            public double playbackSpeed() {
                return speed;
            }
        });
    }

    @Override
    protected Connection connect() {
        return connect(20);
    }
}
