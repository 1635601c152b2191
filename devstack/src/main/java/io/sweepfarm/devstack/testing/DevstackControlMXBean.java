package io.sweepfarm.devstack.testing;

/**
 * The shared test devstack's server controls, registered in the platform MBean server so that every class loader of
 * the JVM (Quarkus loads test resources again for each application restart) reaches the one running set.
 * {@code server} is {@code postgres}, {@code kafka} or {@code s3}.
 */
public interface DevstackControlMXBean {

    void stop(String server);

    void start(String server);

    boolean isRunning(String server);

    long pid(String server);
}
