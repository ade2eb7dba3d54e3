package dev.parley.server;

import dev.parley.VoiceAgent;
import dev.parley.spi.CallInfo;

/**
 * Chooses the agent for an incoming call, so the server never knows about providers. Called once per call,
 * after the stream's call token was verified, on a virtual thread; may return a shared agent.
 * {@link CallInfo#from()} and {@link CallInfo#to()} are personal data: never log them at INFO.
 */
@FunctionalInterface
public interface AgentFactory {
    VoiceAgent agentFor(CallInfo call);
}
