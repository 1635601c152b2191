package io.sweepfarm.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where rendered images are stored, under {@code sweepfarm.s3.*} (the keys devstack's {@code Endpoints} supplies). */
@ConfigMapping(prefix = "sweepfarm.s3")
public interface S3Config {

    /** S3 endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
    String endpoint();

    /** Access key. */
    String accessKey();

    /** Secret key. */
    String secretKey();

    /** The image bucket; created at start when missing. */
    @WithDefault("sweepfarm")
    String bucket();

    /** Region sent in signatures. */
    @WithDefault("us-east-1")
    String region();
}
