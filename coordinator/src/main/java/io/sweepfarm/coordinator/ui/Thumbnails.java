package io.sweepfarm.coordinator.ui;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.image.ImageQuery;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Thumbnails of rendered images for the web UI: made once from the PNG (longest side {@link #SIZE} px, JPEG) and
 * stored in S3 next to it ({@link ObjectKeys#thumbnail}), so every later view, from any coordinator, is one S3 read.
 * At most {@link #DECODES} thumbnails are made at once (a page of new images must not starve the coordinator of CPU
 * and memory), and concurrent requests for the same image share one making.
 */
@ApplicationScoped
public class Thumbnails {

    /** Longest side of a thumbnail, in pixels; smaller images keep their size. */
    public static final int SIZE = 256;
    static final int DECODES = 2;

    @Inject
    ImageQuery images;

    @Inject
    ImageStore store;

    private final Semaphore decodes = new Semaphore(DECODES);
    private final ConcurrentHashMap<UUID, CompletableFuture<byte[]>> making = new ConcurrentHashMap<>();

    /** The JPEG thumbnail of a rendered image; 404 problem while the image has no PNG. */
    public byte[] of(UUID imageId) {
        ImageView v = images.get(imageId);
        if (v.state() != ImageState.SUCCEEDED || v.objectKey() == null) {
            throw new ProblemException.NotFound("image " + imageId + " is " + v.state() + " and has no PNG yet");
        }
        String key = ObjectKeys.thumbnail(v.sweepId(), v.ordinal(), v.id());
        Optional<byte[]> stored = store.read(key);
        if (stored.isPresent()) {
            return stored.get();
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> other = making.putIfAbsent(imageId, mine);
        if (other != null) {
            return other.join();
        }
        try {
            byte[] made = make(v, key);
            mine.complete(made);
            return made;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            making.remove(imageId, mine);
        }
    }

    private byte[] make(ImageView v, String key) {
        try {
            decodes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to make a thumbnail", e);
        }
        try {
            BufferedImage png;
            try (InputStream in = store.open(v.objectKey(), v.id())) {
                png = ImageIO.read(in);
            }
            if (png == null) {
                throw new IllegalStateException("the PNG of image " + v.id() + " (" + v.objectKey()
                        + ") cannot be decoded");
            }
            byte[] jpeg = jpeg(scaled(png, SIZE), 0.85f);
            store.put(key, jpeg, "image/jpeg");
            Log.debugf("Thumbnail %s made (%d bytes)", key, jpeg.length);
            return jpeg;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the PNG of image " + v.id() + " failed", e);
        } finally {
            decodes.release();
        }
    }

    /**
     * {@code image} scaled so that its longest side is at most {@code max}, as opaque RGB; halved step by step first,
     * so a large downscale stays smooth.
     */
    static BufferedImage scaled(BufferedImage image, int max) {
        BufferedImage current = rgb(image);
        int w = current.getWidth();
        int h = current.getHeight();
        double ratio = Math.min(1.0, (double) max / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * ratio));
        int th = Math.max(1, (int) Math.round(h * ratio));
        while (w != tw || h != th) {
            w = Math.max(tw, w / 2);
            h = Math.max(th, h / 2);
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(current, 0, 0, w, h, null);
            g.dispose();
            current = next;
        }
        return current;
    }

    private static BufferedImage rgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        g.dispose();
        return out;
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
