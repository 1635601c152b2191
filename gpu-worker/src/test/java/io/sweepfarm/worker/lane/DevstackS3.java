package io.sweepfarm.worker.lane;

import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.worker.config.S3Config;

/** The worker's S3 settings for devstack's S3 server, for tests and benchmarks that build lanes by hand. */
final class DevstackS3 {

    private DevstackS3() {
    }

    static S3Config config(Endpoints e) {
        return config(e, e.s3Endpoint());
    }

    /** The same, through another endpoint (a proxy in front of devstack's S3, to cut it off). */
    static S3Config config(Endpoints e, String endpoint) {
        return new S3Config() {
            @Override
            public String endpoint() {
                return endpoint;
            }

            @Override
            public String accessKey() {
                return e.s3AccessKey();
            }

            @Override
            public String secretKey() {
                return e.s3SecretKey();
            }

            @Override
            public String bucket() {
                return e.bucket();
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public java.time.Duration timeout() {
                return java.time.Duration.ofSeconds(5);
            }
        };
    }
}
