package io.sweepfarm.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What the devstack build recorded in {@code devstack.properties}: the s3proxy jar, the Kafka broker's class path. */
final class BuildInfo {

    private BuildInfo() {
    }

    static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("devstack.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("devstack.properties missing from the devstack jar", e);
        }
        return p;
    }
}
