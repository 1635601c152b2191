package io.sweepfarm.common.png;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.NodeList;

/**
 * PNG encoding and decoding with {@code tEXt} chunks, through the JDK's ImageIO PNG codec.
 * Latin-1 text goes into {@code tEXt}; anything else into {@code iTXt} (UTF-8), as PNG requires.
 */
public final class PngText {

    private static final String FORMAT = "javax_imageio_png_1.0";

    private PngText() {
    }

    /** Encodes {@code image} as PNG with one text chunk per entry of {@code text}. */
    public static byte[] write(BufferedImage image, Map<String, String> text) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    writer.getDefaultWriteParam());
            metadata.mergeTree(FORMAT, textTree(text));
            writer.setOutput(out);
            writer.write(new IIOImage(image, null, metadata));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    /** Reads every {@code tEXt}/{@code iTXt} chunk of a PNG. */
    public static Map<String, String> readText(byte[] png) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree(FORMAT);
                Map<String, String> text = new LinkedHashMap<>();
                NodeList entries = root.getElementsByTagName("tEXtEntry");
                for (int i = 0; i < entries.getLength(); i++) {
                    IIOMetadataNode e = (IIOMetadataNode) entries.item(i);
                    text.put(e.getAttribute("keyword"), e.getAttribute("value"));
                }
                NodeList itxt = root.getElementsByTagName("iTXtEntry");
                for (int i = 0; i < itxt.getLength(); i++) {
                    IIOMetadataNode e = (IIOMetadataNode) itxt.item(i);
                    text.put(e.getAttribute("keyword"), e.getAttribute("text"));
                }
                return text;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG decoding failed", e);
        }
    }

    /** Decodes the pixels of a PNG. */
    public static BufferedImage readImage(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new IllegalArgumentException("not a decodable image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("PNG decoding failed", e);
        }
    }

    private static IIOMetadataNode textTree(Map<String, String> text) throws IIOInvalidTreeException {
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        IIOMetadataNode tEXt = new IIOMetadataNode("tEXt");
        IIOMetadataNode iTXt = new IIOMetadataNode("iTXt");
        for (Map.Entry<String, String> e : text.entrySet()) {
            if (isLatin1(e.getValue())) {
                IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("value", e.getValue());
                tEXt.appendChild(entry);
            } else {
                IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", e.getValue());
                iTXt.appendChild(entry);
            }
        }
        if (tEXt.hasChildNodes()) {
            root.appendChild(tEXt);
        }
        if (iTXt.hasChildNodes()) {
            root.appendChild(iTXt);
        }
        return root;
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
