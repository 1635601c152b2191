package io.sweepfarm.devstack;

/**
 * A devstack server that can be stopped and started again on the same port with the same data, so that tests can
 * take one dependency away mid-run and bring it back as an outage would.
 */
public interface ServerControl {

    /** Stops the server gracefully, keeping its port and data for {@link #start()}; does nothing if it is stopped. */
    void stop();

    /**
     * Starts the server again on its port with its data and returns once it accepts connections; nothing happens if
     * it is running.
     */
    void start();

    boolean isRunning();

    /** The server's main process id, or -1 while it is stopped. */
    long pid();
}
