package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.storage.ImageStore;
import java.util.Set;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams a sweep's rendered images as a training dataset, page by page from the query API and object by object
 * from S3, so an export of any size needs constant memory.
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

    private final ImageQuery images;
    private final ImageStore store;

    public DatasetExport(ImageQuery images, ImageStore store) {
        this.images = images;
        this.store = store;
    }

    /** Writes every SUCCEEDED image matching {@code filter} to {@code out} in {@code format}. */
    public void write(ImageFilter filter, Format format, OutputStream out) throws IOException {
        ImageFilter rendered = filter.withStates(Set.of(ImageState.SUCCEEDED));
        if (format == Format.IMAGEFOLDER) {
            writeZip(rendered, out);
        } else {
            writeTar(rendered, out);
        }
    }

    /**
     * The zip's {@code metadata.jsonl} comes first, streamed from a first pass over the query (parameters only, no
     * image is read), then the images from a second pass: both in constant memory.
     */
    private void writeZip(ImageFilter filter, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry("metadata.jsonl"));
        forEachImage(filter, img -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file_name", name(img));
            row.putAll(parameters(img));
            zip.write(Json.toBytes(row));
            zip.write('\n');
        });
        zip.closeEntry();
        forEach(filter, (img, png) -> {
            ZipEntry entry = new ZipEntry(name(img));
            entry.setMethod(ZipEntry.DEFLATED);
            zip.putNextEntry(entry);
            png.transferTo(zip);
            zip.closeEntry();
        });
        zip.finish();
        zip.flush();
    }

    private static String name(ImageView img) {
        return "images/" + base(img) + ".png";
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

    private interface ImageSink {
        void accept(ImageView image) throws IOException;
    }

    private void forEach(ImageFilter filter, Sink sink) throws IOException {
        forEachImage(filter, img -> {
            try (InputStream png = store.open(img.objectKey(), img.id())) {
                sink.accept(img, png);
            }
        });
    }

    private void forEachImage(ImageFilter filter, ImageSink sink) throws IOException {
        String cursor = null;
        do {
            ImagePage page = images.page(filter, cursor, PAGE);
            for (ImageView img : page.items()) {
                sink.accept(img);
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** Sweep-unique file base name: the ordinal, zero-padded so names sort in sweep order. */
    private static String base(ImageView img) {
        return String.format("%09d", img.ordinal());
    }

    /**
     * The columns of a sample: the image's ids and every parameter of
     * {@link io.sweepfarm.common.image.ImageParameters} (absent ones left out), as the API names them.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parameters(ImageView i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_id", i.id().toString());
        m.put("sweep_id", i.sweepId().toString());
        m.put("ordinal", i.ordinal());
        m.putAll(Json.MAPPER.convertValue(i.params(), Map.class));
        return m;
    }
}
