package io.sweepfarm.worker.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.sweepfarm.worker.config.S3Config;
import io.sweepfarm.worker.storage.StorageException.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's view of object storage: writes rendered PNGs (with their parameters as user metadata) and reads
 * uploaded init images and masks. Writes are idempotent: a task always writes the same key.
 *
 * <p>Every failure is a {@link StorageException} whose {@link StorageException#kind() kind} says whether S3 refused
 * this object for good, is unavailable for everyone, or failed in an uncertain way. Thread-safe.
 */
@ApplicationScoped
public class ImageStore {

    /** S3's limit on an object key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    private final MinioClient client;
    private final String bucket;

    public ImageStore(S3Config config) {
        this.client = MinioClient.builder().endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey()).region(config.region()).build();
        long timeout = config.timeout().toMillis();
        this.client.setTimeout(timeout, timeout, timeout);
        this.bucket = config.bucket();
    }

    /** Creates the bucket if it does not exist yet. */
    public void ensureBucket() throws StorageException {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (ErrorResponseException e) {
            if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                throw S3Errors.wrap("create the bucket", bucket, e);
            }
        } catch (Exception e) {
            throw S3Errors.wrap("reach the bucket", bucket, e);
        }
    }

    /** Stores {@code png} under {@code key} with {@code metadata} as S3 user metadata (ASCII values). */
    public void putPng(String key, byte[] png, Map<String, String> metadata) throws StorageException {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new StorageException("the object key is longer than S3's " + MAX_KEY_BYTES + " bytes",
                    Kind.REFUSED, "KeyTooLong", null);
        }
        try (InputStream in = new ByteArrayInputStream(png)) {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, png.length, -1)
                    .contentType("image/png").userMetadata(metadata).build());
        } catch (Exception e) {
            throw S3Errors.wrap("store " + key, bucket, e);
        }
    }

    /** Reads an object, or empty when it does not exist. */
    public Optional<byte[]> get(String key) throws StorageException {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Optional.of(in.readAllBytes());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw S3Errors.wrap("read " + key, bucket, e);
        } catch (Exception e) {
            throw S3Errors.wrap("read " + key, bucket, e);
        }
    }

    /** Whether S3 answers a cheap request for the bucket now (never throws). */
    public boolean reachable() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public String bucket() {
        return bucket;
    }
}
