package dev.dynamo.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) while a command runs: the first press runs one action (stop gracefully), every
 * later press another (quit at once). The JVM's own handling cannot do this: it turns the first
 * Ctrl-C into a shutdown and then ignores the next ones until the shutdown hooks end.
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which every JDK since 9
 * exports for exactly this, through reflection, so that the build does not depend on it: where it
 * is missing, or SIGINT cannot be handled (the JVM runs with {@code -Xrs}), {@link #install}
 * returns null and the caller relies on a shutdown hook.
 *
 * <p>Concurrency contract: the JVM runs each action on a thread of its own, one per signal.
 */
final class CtrlC implements AutoCloseable {
    private final Method handle;
    private final Object signal;
    private final Object previous;

    private CtrlC(Method handle, Object signal, Object previous) {
        this.handle = handle;
        this.signal = signal;
        this.previous = previous;
    }

    /**
     * Handles SIGINT until {@link #close}.
     *
     * @return the installed handler, or null when SIGINT cannot be handled here
     */
    static CtrlC install(Runnable first, Runnable again) {
        AtomicInteger presses = new AtomicInteger();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            Object handler = Proxy.newProxyInstance(CtrlC.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            (presses.incrementAndGet() == 1 ? first : again).run();
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "dynamo Ctrl-C handler";
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object previous = handle.invoke(null, signal, handler);
            return new CtrlC(handle, signal, previous);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // IllegalArgumentException (wrapped) when the VM keeps SIGINT for itself (-Xrs); no sun.misc on this JVM
            return null;
        }
    }

    /** Gives SIGINT back to the handler that had it before. */
    @Override
    public void close() {
        try {
            handle.invoke(null, signal, previous);
        } catch (IllegalAccessException | InvocationTargetException e) {
            // it was installed through the same method a moment ago; nothing better to do than keep ours
        }
    }
}
