package dev.parley.twilio;

import dev.parley.testkit.TransportContract;
import java.util.Map;

/** The transport contract every CallTransport meets, with Twilio's playback model at real-time speed. */
class TwilioTransportContractTest extends TransportContract {
    @Override
    protected Connection connect() {
        var peer = new FakeTwilioPeer(1.0);
        var transport = TwilioTransport.builder(peer).build();
        peer.attach(transport);
        peer.start(Map.of());
        return new Connection(transport, peer);
    }
}
