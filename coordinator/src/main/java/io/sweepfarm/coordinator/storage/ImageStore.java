package io.sweepfarm.coordinator.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.coordinator.config.S3Config;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.UUID;

/** The image bucket in S3 (MinIO client; thread-safe, one per application). */
@ApplicationScoped
public class ImageStore {

    @Inject
    S3Config config;

    private volatile MinioClient client;

    void onStart(@Observes StartupEvent event) {
        try {
            ensureBucket();
        } catch (Exception e) {
            // Not fatal: downloads fail (and readiness reports DOWN) until S3 answers; workers write the objects.
            Log.warnf("S3 bucket %s at %s is not reachable yet (%s); downloads will fail until it is",
                    config.bucket(), config.endpoint(), e.getMessage());
        }
    }

    /** Creates the bucket when missing; idempotent. */
    public void ensureBucket() throws Exception {
        MinioClient c = client();
        if (!c.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
            try {
                c.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).region(config.region()).build());
                Log.infof("Created S3 bucket %s at %s", config.bucket(), config.endpoint());
            } catch (ErrorResponseException e) {
                String code = e.errorResponse().code();
                if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                    throw e;
                }
            }
        }
    }

    /** True when the bucket answers. */
    public boolean reachable() {
        try {
            return client().bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
        } catch (Exception e) {
            return false;
        }
    }

    /** Stores an uploaded input PNG under its content-addressed key (idempotent: same bytes, same key). */
    public void putInput(String key, byte[] png) {
        put(key, png, "image/png");
    }

    /** Writes an object (an input, a thumbnail); a write of the same key replaces it. */
    public void put(String key, byte[] bytes, String contentType) {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            client().putObject(io.minio.PutObjectArgs.builder().bucket(config.bucket()).object(key)
                    .stream(in, bytes.length, -1).contentType(contentType).build());
        } catch (Exception e) {
            throw new IllegalStateException("S3 write of " + key + " to bucket " + config.bucket() + " failed", e);
        }
    }

    /** The bytes of an object, or empty when there is no such object. */
    public java.util.Optional<byte[]> read(String key) {
        try (InputStream in = client().getObject(GetObjectArgs.builder().bucket(config.bucket()).object(key)
                .build())) {
            return java.util.Optional.of(in.readAllBytes());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return java.util.Optional.empty();
            }
            throw new IllegalStateException("S3 refused to read " + key, e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 read of " + key + " failed", e);
        }
    }

    /** True when {@code key} exists in the bucket. */
    public boolean exists(String key) {
        try {
            client().statObject(io.minio.StatObjectArgs.builder().bucket(config.bucket()).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NotFound".equals(e.errorResponse().code())) {
                return false;
            }
            throw new IllegalStateException("S3 refused to stat " + key, e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 stat of " + key + " failed", e);
        }
    }

    /** Opens an object for streaming; the caller closes the stream. */
    public InputStream open(String key, UUID imageId) {
        try {
            return client().getObject(GetObjectArgs.builder().bucket(config.bucket()).object(key).build());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                Log.warnf("Image %s is SUCCEEDED but its object %s is missing from bucket %s; re-render it",
                        imageId, key, config.bucket());
                throw new ProblemException.NotFound("the PNG of image " + imageId + " is missing from storage");
            }
            throw new IllegalStateException("S3 refused to read " + key, e);
        } catch (Exception e) {
            throw new IllegalStateException("S3 read of " + key + " failed", e);
        }
    }

    private MinioClient client() {
        MinioClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = MinioClient.builder().endpoint(config.endpoint())
                            .credentials(config.accessKey(), config.secretKey()).region(config.region()).build();
                }
                c = client;
            }
        }
        return c;
    }
}
