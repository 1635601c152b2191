package io.sweepfarm.devstack.testing;

import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.ServerControl;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The JVM-wide controls of the shared test devstack (see {@link DevstackControlMXBean}), and a client of them. */
final class DevstackControl implements DevstackControlMXBean {

    private static final String NAME = "io.sweepfarm.devstack:type=TestDevstack";

    private final Devstack devstack;

    private DevstackControl(Devstack devstack) {
        this.devstack = devstack;
    }

    static void register(Devstack devstack) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new DevstackControl(devstack),
                    new ObjectName(NAME));
        } catch (JMException e) {
            throw new IllegalStateException("could not register the test devstack's controls: " + e.getMessage(), e);
        }
    }

    private ServerControl server(String name) {
        return switch (name) {
            case "postgres" -> devstack.postgres();
            case "kafka" -> devstack.kafka();
            case "s3" -> devstack.s3();
            default -> throw new IllegalArgumentException("no devstack server '" + name + "': postgres, kafka or s3");
        };
    }

    @Override
    public void stop(String server) {
        server(server).stop();
    }

    @Override
    public void start(String server) {
        server(server).start();
    }

    @Override
    public boolean isRunning(String server) {
        return server(server).isRunning();
    }

    @Override
    public long pid(String server) {
        return server(server).pid();
    }

    /** A {@link ServerControl} that reaches the registered controls from any class loader. */
    static ServerControl client(String server) {
        return new ServerControl() {
            @Override
            public void stop() {
                invoke("stop");
            }

            @Override
            public void start() {
                invoke("start");
            }

            @Override
            public boolean isRunning() {
                return (Boolean) invoke("isRunning");
            }

            @Override
            public long pid() {
                return (Long) invoke("pid");
            }

            private Object invoke(String operation) {
                MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
                try {
                    return mbeans.invoke(new ObjectName(NAME), operation, new Object[] {server},
                            new String[] {String.class.getName()});
                } catch (JMException e) {
                    throw new IllegalStateException(operation + " of the test devstack's " + server + " failed: "
                            + e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return "test devstack " + server;
            }
        };
    }
}
