package dev.parley.server;

import dev.parley.twilio.TwilioSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** {@link TwilioSocket} over a Jetty WebSocket session; a send that the peer does not take in time fails. */
final class JettyTwilioSocket implements TwilioSocket {
    private final Session session;
    private final Duration sendTimeout;

    JettyTwilioSocket(Session session, Duration sendTimeout) {
        this.session = session;
        this.sendTimeout = sendTimeout;
    }

    @Override
    public void sendText(String text) throws IOException {
        var done = new Callback.Completable();
        session.sendText(text, done);
        try {
            done.get(sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            session.disconnect(); // the peer stopped reading: drop the connection, not just this frame
            throw new IOException("send not taken within " + sendTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("send failed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending");
        }
    }

    @Override
    public void close(int code, String reason) {
        if (session.isOpen()) {
            session.close(code, reason, Callback.NOOP);
        }
    }
}
