package dev.parley.testkit;

/** The contract at real-time playback. */
class RealTimeInMemoryTransportContractTest extends TransportContract {
    @Override
    protected Connection connect() {
        return InMemoryTransportContractTest.connect(1.0);
    }
}
