package dev.parley.sphinx;

import dev.parley.ParleyException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocking byte stream the Sphinx frontend reads: 16 kHz little-endian PCM16 written by
 * {@code send}, read by the recogniser thread. Bounded: a writer waits while more than
 * {@code capacityBytes} are queued (only when the recogniser is far behind real time).
 * {@link #finish()} ends the stream after the queued audio; {@link #close()} ends it at once.
 */
final class AudioPipe extends InputStream {
    /** Called on the reader thread when it has consumed everything and is about to wait. */
    interface StarvationHook {
        void starving();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final int capacityBytes;
    private final StarvationHook hook;
    private int headOffset;
    private long queuedBytes;
    private long writtenBytes;
    private boolean finished;
    private boolean closed;

    AudioPipe(int capacityBytes, StarvationHook hook) {
        this.capacityBytes = capacityBytes;
        this.hook = hook;
    }

    /** Queues samples; returns the stream position (in samples) at which they start. */
    long write(short[] samples) {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        lock.lock();
        try {
            while (queuedBytes > capacityBytes && !closed && !finished) {
                if (!writable.await(5, TimeUnit.SECONDS)) {
                    throw new ParleyException("sphinx recogniser is more than "
                            + capacityBytes / 32_000 + " s behind; audio dropped", true, null);
                }
            }
            long start = writtenBytes / 2;
            if (closed || finished || bytes.length == 0) {
                return start;
            }
            chunks.add(bytes);
            queuedBytes += bytes.length;
            writtenBytes += bytes.length;
            readable.signalAll();
            return start;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted while sending audio", e);
        } finally {
            lock.unlock();
        }
    }

    /** Samples written so far (the position the next write starts at). */
    long writtenSamples() {
        lock.lock();
        try {
            return writtenBytes / 2;
        } finally {
            lock.unlock();
        }
    }

    void finish() {
        lock.lock();
        try {
            finished = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            chunks.clear();
            queuedBytes = 0;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        boolean hooked = false;
        lock.lock();
        try {
            while (chunks.isEmpty() && !closed && !finished) {
                if (!hooked) {
                    hooked = true;
                    lock.unlock();
                    try {
                        hook.starving();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                readable.awaitUninterruptibly();
            }
            if (closed || chunks.isEmpty()) {
                return -1;
            }
            int n = 0;
            while (n < len && !chunks.isEmpty()) {
                byte[] head = chunks.peek();
                int take = Math.min(len - n, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off + n, take);
                n += take;
                headOffset += take;
                if (headOffset == head.length) {
                    chunks.poll();
                    headOffset = 0;
                }
            }
            queuedBytes -= n;
            writable.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }
}
