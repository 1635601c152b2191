package io.sweepfarm.coordinator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.TcpProxy;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * devstack, with the database and S3 reached through {@link TcpProxy}s that a test cuts to simulate an outage. The
 * proxies are found by name in the JVM's system properties ({@link #database()}, {@link #storage()}), since Quarkus
 * loads test resources and test classes in different class loaders.
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

    private static void register(String name, TcpProxy proxy) {
        Consumer<Boolean> up = on -> {
            if (on) {
                proxy.restore();
            } else {
                proxy.cut();
            }
        };
        System.getProperties().put(KEY + name, up);
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Boolean> control(String name) {
        return (Consumer<Boolean>) System.getProperties().get(KEY + name);
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
