package io.sweepfarm.worker.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.sweepfarm.worker.config.S3Config;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's view of object storage: writes rendered PNGs (with their parameters as user metadata) and reads
 * uploaded init images and masks. Writes are idempotent: a task always writes the same key.
 */
@ApplicationScoped
public class ImageStore {

    private final MinioClient client;
    private final String bucket;

    public ImageStore(S3Config config) {
        this.client = MinioClient.builder().endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey()).region(config.region()).build();
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
                throw new StorageException("cannot create bucket '" + bucket + "': " + e.getMessage(), e);
            }
        } catch (Exception e) {
            throw new StorageException("cannot reach bucket '" + bucket + "': " + e.getMessage(), e);
        }
    }

    /** Stores {@code png} under {@code key} with {@code metadata} as S3 user metadata (ASCII values). */
    public void putPng(String key, byte[] png, Map<String, String> metadata) throws StorageException {
        try (InputStream in = new ByteArrayInputStream(png)) {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, png.length, -1)
                    .contentType("image/png").userMetadata(metadata).build());
        } catch (Exception e) {
            throw new StorageException("cannot store " + key + " in bucket '" + bucket + "': " + e.getMessage(), e);
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
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    public String bucket() {
        return bucket;
    }

    /** Object storage failed; the task is retried, not failed. */
    public static class StorageException extends RuntimeException {
        public StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
