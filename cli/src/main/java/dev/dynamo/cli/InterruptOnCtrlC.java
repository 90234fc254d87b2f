package dev.dynamo.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, Ctrl-C (SIGINT) interrupts the thread that opened it instead of ending the JVM at
 * once, so long work can stop, clean up (a verification deletes its bucket files) and say so. The
 * JVM exits when {@link #close} is called, or after {@link #WAIT_SECONDS} at most. Print the last
 * words before closing: once closed, the JVM may halt at any moment.
 */
final class InterruptOnCtrlC implements AutoCloseable {
    /** After Ctrl-C, how long the JVM waits for the work to stop before it exits anyway. */
    static final long WAIT_SECONDS = 10;

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    /** @param name names the hook's thread, for thread dumps */
    InterruptOnCtrlC(String name) {
        Thread worker = Thread.currentThread();
        hook = new Thread(() -> {
            worker.interrupt();
            try {
                closed.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and waits for the countdown below
        }
        closed.countDown();
    }
}
