package io.sweepfarm.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Object storage settings ({@code sweepfarm.s3.*}); any S3-compatible server (MinIO, s3proxy, AWS). */
@ConfigMapping(prefix = "sweepfarm.s3")
public interface S3Config {

    /** Endpoint URL, e.g. {@code http://minio:9000}. */
    String endpoint();

    /** Access key. */
    String accessKey();

    /** Secret key. */
    String secretKey();

    /** Bucket holding rendered images and uploaded inputs. */
    @WithDefault("sweepfarm")
    String bucket();

    /** Region sent with requests. */
    @WithDefault("us-east-1")
    String region();

    /**
     * Connect, read and write timeout of each S3 request: an S3 that stops answering counts as unavailable after
     * this long, and the request is retried with backoff.
     */
    @WithDefault("PT30S")
    Duration timeout();
}
