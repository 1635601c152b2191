package io.sweepfarm.coordinator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.TcpProxy;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * devstack, with the database and S3 reached through {@link TcpProxy}s that a test cuts to simulate an outage. The
 * proxies are switched through the platform MBean server ({@link #database()}, {@link #storage()}), since Quarkus
 * loads test resources and test classes in different class loaders (system properties must stay strings: Narayana
 * copies them all when a later application starts).
 */
public class ProxiedDevstack implements QuarkusTestResourceLifecycleManager {

    private static final String KEY = "sweepfarm.test.proxy.";
    private static final Pattern JDBC_PORT = Pattern.compile("(jdbc:postgresql://[^:/]+:)(\\d+)(/.*)");

    @Override
    public Map<String, String> start() {
        Endpoints e = DevstackTestResource.endpoints();
        Map<String, String> config = new java.util.HashMap<>(e.quarkusConfig());
        Matcher m = JDBC_PORT.matcher(e.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("unexpected JDBC URL " + e.jdbcUrl());
        }
        TcpProxy db = new TcpProxy(Integer.parseInt(m.group(2)), true);
        config.put("quarkus.datasource.jdbc.url", m.group(1) + db.port() + m.group(3));
        URI s3 = URI.create(e.s3Endpoint());
        TcpProxy storage = new TcpProxy(s3.getPort(), true);
        config.put("sweepfarm.s3.endpoint", s3.getScheme() + "://" + s3.getHost() + ":" + storage.port());
        register("database", db);
        register("storage", storage);
        return config;
    }

    /** A proxy's switch, as the MBean server exposes it. */
    public interface ProxySwitchMXBean {
        void switchTo(boolean open);
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName("io.sweepfarm.test:type=TcpProxy,name=" + name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void register(String name, TcpProxy proxy) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ProxySwitchMXBean bean = open -> {
            if (open) {
                proxy.restore();
            } else {
                proxy.cut();
            }
        };
        try {
            if (server.isRegistered(objectName(name))) {
                server.unregisterMBean(objectName(name));
            }
            server.registerMBean(new StandardMBean(bean, ProxySwitchMXBean.class, true), objectName(name));
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the " + name + " proxy's switch", e);
        }
    }

    private static Consumer<Boolean> control(String name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (!server.isRegistered(objectName(name))) {
            return null;
        }
        return open -> {
            try {
                server.invoke(objectName(name), "switchTo", new Object[] {open}, new String[] {"boolean"});
            } catch (JMException e) {
                throw new IllegalStateException("cannot switch the " + name + " proxy", e);
            }
        };
    }

    /** Switches the database's proxy: {@code accept(false)} cuts it, {@code accept(true)} restores it. */
    public static Consumer<Boolean> database() {
        return control("database");
    }

    /** Switches S3's proxy. */
    public static Consumer<Boolean> storage() {
        return control("storage");
    }

    @Override
    public void stop() {
        Consumer<Boolean> db = database();
        Consumer<Boolean> s3 = storage();
        if (db != null) {
            db.accept(true);
        }
        if (s3 != null) {
            s3.accept(true);
        }
    }
}
