package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.storage.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams a sweep's rendered images as a training dataset, page by page from the database and object by object from
 * S3, so an export of any size needs constant memory.
 *
 * <ul>
 * <li>{@link Format#IMAGEFOLDER}: a zip for Hugging Face {@code datasets}' {@code imagefolder} loader:
 * {@code images/{ordinal}.png} and a {@code metadata.jsonl} whose {@code file_name} points at them, with every
 * parameter as a column.</li>
 * <li>{@link Format#WEBDATASET}: a tar of samples {@code {ordinal}.png} + {@code {ordinal}.json}, the layout the
 * {@code webdataset} library streams.</li>
 * </ul>
 */
public final class DatasetExport {

    /** Export layouts. */
    public enum Format {
        IMAGEFOLDER("zip", "application/zip"),
        WEBDATASET("tar", "application/x-tar");

        public final String extension;
        public final String mediaType;

        Format(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }

        public static Optional<Format> of(String name) {
            if (name == null) {
                return Optional.of(IMAGEFOLDER);
            }
            try {
                return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    private static final int PAGE = 500;

    private final ImageService images;
    private final ImageStore store;

    public DatasetExport(ImageService images, ImageStore store) {
        this.images = images;
        this.store = store;
    }

    /** Writes every SUCCEEDED image matching {@code filter} to {@code out} in {@code format}. */
    public void write(ImageFilter filter, Format format, OutputStream out) throws IOException {
        ImageFilter rendered = new ImageFilter(filter.sweepId(), filter.prompt(), filter.negativePrompt(),
                filter.cfgScale(), filter.steps(), filter.sampler(), filter.seed(), filter.width(), filter.height(),
                ImageState.SUCCEEDED);
        if (format == Format.IMAGEFOLDER) {
            writeZip(rendered, out);
        } else {
            writeTar(rendered, out);
        }
    }

    private void writeZip(ImageFilter filter, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        StringBuilder metadata = new StringBuilder();
        forEach(filter, (img, png) -> {
            String name = "images/" + base(img) + ".png";
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.DEFLATED);
            zip.putNextEntry(entry);
            png.transferTo(zip);
            zip.closeEntry();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file_name", name);
            row.putAll(parameters(img));
            metadata.append(Json.toString(row)).append('\n');
        });
        zip.putNextEntry(new ZipEntry("metadata.jsonl"));
        zip.write(metadata.toString().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    private void writeTar(ImageFilter filter, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        forEach(filter, (img, png) -> {
            byte[] bytes = png.readAllBytes();
            put(tar, base(img) + ".png", bytes);
            put(tar, base(img) + ".json", Json.toBytes(parameters(img)));
        });
        tar.finish();
        tar.flush();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private interface Sink {
        void accept(ImageView image, InputStream png) throws IOException;
    }

    private void forEach(ImageFilter filter, Sink sink) throws IOException {
        String cursor = null;
        do {
            ImagePage page = images.page(filter, cursor, PAGE);
            for (ImageView img : page.items()) {
                try (InputStream png = store.open(img.objectKey(), img.id())) {
                    sink.accept(img, png);
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    private static String base(ImageView img) {
        return String.format("%09d", img.ordinal());
    }

    /** The columns of a sample: every parameter that made the image. */
    static Map<String, Object> parameters(ImageView i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_id", i.id().toString());
        m.put("sweep_id", i.sweepId().toString());
        m.put("model", i.model());
        m.put("prompt", i.prompt());
        m.put("negative_prompt", i.negativePrompt());
        m.put("cfg_scale", i.cfgScale());
        m.put("steps", i.steps());
        m.put("sampler", i.sampler());
        m.put("seed", i.seed());
        m.put("width", i.width());
        m.put("height", i.height());
        m.put("noise_source", i.noiseSource());
        if (i.initImage() != null) {
            m.put("init_image", i.initImage());
            m.put("strength", i.strength());
        }
        return m;
    }
}
