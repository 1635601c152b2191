package io.sweepfarm.coordinator.support;

import io.sweepfarm.common.png.PngText;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Image files for upload tests, including small ones whose headers declare huge dimensions (decompression bombs):
 * a real image of a few pixels with the size fields of its header rewritten.
 */
public final class Images {

    private Images() {
    }

    public static byte[] png(int w, int h) {
        return PngText.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), Map.of());
    }

    private static byte[] encoded(String format, int w, int h) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int type = format.equals("gif") ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_INT_RGB;
            if (!ImageIO.write(new BufferedImage(w, h, type), format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] tiff() {
        return encoded("tiff", 8, 8);
    }

    /** A PNG whose IHDR (with a correct CRC) declares {@code w}×{@code h}. */
    public static byte[] pngDeclaring(int w, int h) {
        byte[] png = png(8, 8);
        ByteBuffer b = ByteBuffer.wrap(png).putInt(16, w).putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17); // "IHDR" and its 13 bytes of data
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    /** A JPEG whose frame header (SOF0) declares {@code w}×{@code h}: a few hundred bytes. */
    public static byte[] jpegDeclaring(int w, int h) {
        byte[] jpeg = encoded("jpg", 16, 16);
        for (int i = 0; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                ByteBuffer.wrap(jpeg).putShort(i + 5, (short) h).putShort(i + 7, (short) w);
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 marker");
    }

    /** A GIF whose logical screen and first image descriptor declare {@code w}×{@code h}. */
    public static byte[] gifDeclaring(int w, int h) {
        byte[] gif = encoded("gif", 8, 8);
        ByteBuffer b = ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(6, (short) w).putShort(8, (short) h);
        for (int i = 13; i + 9 < gif.length; i++) {
            if (gif[i] == 0x2c && b.getShort(i + 5) == 8 && b.getShort(i + 7) == 8) {
                b.putShort(i + 5, (short) w).putShort(i + 7, (short) h);
                return gif;
            }
        }
        throw new IllegalStateException("no image descriptor");
    }

    /** A BMP whose info header declares {@code w}×{@code h}. */
    public static byte[] bmpDeclaring(int w, int h) {
        byte[] bmp = encoded("bmp", 8, 8);
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(18, w).putInt(22, h);
        return bmp;
    }
}
