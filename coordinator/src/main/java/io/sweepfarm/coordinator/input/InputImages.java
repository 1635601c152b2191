package io.sweepfarm.coordinator.input;

import io.quarkus.logging.Log;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads uploaded init images and masks safely. The format and the dimensions come from the image's header first
 * (no pixel is decoded): anything but PNG, JPEG, BMP or GIF, or wider or taller than {@code max-input-side}, is
 * refused at once, so a few hundred bytes declaring 20000×20000 cost nothing. Only then is the image decoded, within
 * the {@link DecodeBudget} of pixels decoded at once, and turned into the PNG that is stored (a PNG is kept as sent).
 */
@ApplicationScoped
public class InputImages {

    static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A decoded upload: the PNG to store and its size. */
    public record Decoded(byte[] png, int width, int height) {
    }

    @Inject
    CoordinatorConfig config;

    private DecodeBudget budget;

    @PostConstruct
    void init() {
        long side = config.maxInputSide();
        long total = Math.max(config.decodeBudgetPixels(), side * side);
        if (total != config.decodeBudgetPixels()) {
            Log.warnf("sweepfarm.coordinator.decode-budget-pixels (%d) is less than one image of max-input-side "
                    + "squared; using %d", config.decodeBudgetPixels(), total);
        }
        budget = new DecodeBudget(total, config.decodeWait());
    }

    public Decoded read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProblemException.Invalid("body", "is empty: send the image bytes (PNG, JPEG, BMP or GIF) as the "
                    + "body");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw notAnImage();
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw new ProblemException.Invalid("body", "is a " + format.toUpperCase(Locale.ROOT) + " image; "
                            + "send PNG, JPEG, BMP or GIF");
                }
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                int max = config.maxInputSide();
                if (width <= 0 || height <= 0 || width > max || height > max) {
                    throw new ProblemException.Invalid("body", "is " + width + "x" + height + " pixels; the limit is "
                            + max + "x" + max);
                }
                try (DecodeBudget.Share share = budget.take((long) width * height)) {
                    BufferedImage image = reader.read(0);
                    if (image.getWidth() != width || image.getHeight() != height) {
                        throw notAnImage();
                    }
                    byte[] png = isPng(body) ? body : PngText.write(image, Map.of());
                    return new Decoded(png, width, height);
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw notAnImage();
        }
    }

    private static ProblemException notAnImage() {
        return new ProblemException.Invalid("body", "is not a decodable image (PNG, JPEG, BMP or GIF)");
    }

    private static boolean isPng(byte[] b) {
        return b.length >= PNG_MAGIC.length && Arrays.equals(b, 0, PNG_MAGIC.length, PNG_MAGIC, 0, PNG_MAGIC.length);
    }
}
