package io.sweepfarm.coordinator.ui;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.api.ImageState;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * One labelled PNG of an X/Y(/Z) plot, like AUTOMATIC1111's grid image: column labels above, row labels on the left,
 * one block per Z value under its title. Cells are scaled to one size, at most {@link #MAX_CELL} px and so that the
 * picture stays under {@link #MAX_PIXELS}; a cell without a rendered image is grey with its state written in it.
 */
final class GridPicture {

    static final int MAX_CELL = 512;
    static final long MAX_PIXELS = 40_000_000L;
    private static final Color BACKGROUND = Color.WHITE;
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();
    private static final Color EMPTY = new Color(0xdd, 0xdd, 0xdd);

    /** One X/Y plot and its title (the Z value), or an empty title for a plot without Z. */
    record Section(String title, GridView grid) {
    }

    private GridPicture() {
    }

    /**
     * Draws the sections; {@code load} gives the decoded PNG of a rendered image (read from storage by the caller).
     *
     * @param nativeSize the size of the sweep's images (cells are never larger)
     */
    static byte[] png(List<Section> sections, int nativeSize, Function<UUID, BufferedImage> load) {
        int cols = sections.stream().mapToInt(s -> s.grid().xValues().size()).max().orElse(1);
        int rows = sections.stream().mapToInt(s -> s.grid().cells().size()).sum();
        int cell = Math.min(MAX_CELL, Math.max(16, nativeSize));
        while (cell > 16 && (long) (cols + 1) * cell * (rows + sections.size()) * (cell + cell / 4) > MAX_PIXELS) {
            cell = cell * 3 / 4;
        }
        int font = Math.max(10, cell / 12);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, font);
        Font bold = plain.deriveFont(Font.BOLD, font * 1.2f);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(plain);
        boolean hasRows = sections.stream().anyMatch(s -> s.grid().y() != null);
        int left = hasRows ? Math.max(cell, 2 * font * 6) : 0;
        int lineHeight = fm.getHeight();
        int header = lineHeight * 3 + font;
        int title = sections.stream().anyMatch(s -> !s.title().isEmpty()) ? pg.getFontMetrics(bold).getHeight() * 2 : 0;
        pg.dispose();
        int width = left + cols * cell;
        int height = 0;
        for (Section s : sections) {
            height += title + header + s.grid().cells().size() * cell;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        int top = 0;
        for (Section s : sections) {
            GridView grid = s.grid();
            if (title > 0) {
                label(g, bold, s.title(), 0, top, width, title, 1);
            }
            top += title;
            for (int c = 0; c < grid.xValues().size(); c++) {
                label(g, plain, grid.x() + ": " + grid.xValues().get(c), left + c * cell, top, cell, header, 3);
            }
            top += header;
            for (int r = 0; r < grid.cells().size(); r++) {
                if (hasRows && grid.y() != null) {
                    label(g, plain, grid.y() + ": " + grid.yValues().get(r), 0, top, left, cell, 6);
                }
                List<GridView.Cell> row = grid.cells().get(r);
                for (int c = 0; c < row.size(); c++) {
                    cell(g, plain, row.get(c), left + c * cell, top, cell, load);
                }
                top += cell;
            }
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding of a grid failed", e);
        }
        return bytes.toByteArray();
    }

    private static void cell(Graphics2D g, Font font, GridView.Cell cell, int x, int y, int size,
            Function<UUID, BufferedImage> load) {
        BufferedImage img = cell != null && cell.state() == ImageState.SUCCEEDED ? load.apply(cell.imageId()) : null;
        if (img != null) {
            double ratio = Math.min((double) size / img.getWidth(), (double) size / img.getHeight());
            int w = (int) Math.round(img.getWidth() * ratio);
            int h = (int) Math.round(img.getHeight() * ratio);
            g.drawImage(img, x + (size - w) / 2, y + (size - h) / 2, w, h, null);
            return;
        }
        g.setColor(EMPTY);
        g.fillRect(x + 1, y + 1, size - 2, size - 2);
        label(g, font, cell == null ? "none" : cell.state().name().toLowerCase(java.util.Locale.ROOT), x, y, size,
                size, 1);
    }

    /** Text centred in a box, wrapped at spaces to at most {@code maxLines} lines, the last one cut with "…". */
    private static void label(Graphics2D g, Font font, String text, int x, int y, int w, int h, int maxLines) {
        try {
            g.setFont(font);
            g.setColor(TEXT);
            FontMetrics fm = g.getFontMetrics();
            List<String> lines = wrap(text.replaceAll("\\s+", " "), fm, w - 8, maxLines);
            int total = lines.size() * fm.getHeight();
            int ty = y + (h - total) / 2 + fm.getAscent();
            for (String line : lines) {
                g.drawString(line, x + (w - fm.stringWidth(line)) / 2, ty);
                ty += fm.getHeight();
            }
        } catch (RuntimeException | Error e) {
            // A JVM without fonts (a bare image without fontconfig) cannot draw text: keep the picture, say why once.
            if (WARNED.compareAndSet(false, true)) {
                Log.warnf("Grid labels cannot be drawn (%s); install fontconfig and a font (e.g. fonts-dejavu-core) on the "
                    + "coordinator's host", e.toString());
            }
        }
    }

    private static List<String> wrap(String text, FontMetrics fm, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width || line.isEmpty()) {
                line = new StringBuilder(candidate);
            } else {
                lines.add(line.toString());
                line = new StringBuilder(word);
            }
        }
        lines.add(line.toString());
        if (lines.size() > maxLines) {
            List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
            kept.set(maxLines - 1, kept.get(maxLines - 1) + " …");
            lines = kept;
        }
        List<String> fitted = new ArrayList<>();
        for (String l : lines) {
            String s = l;
            while (s.length() > 1 && fm.stringWidth(s) > width) {
                s = s.substring(0, s.length() - 2) + "…";
            }
            fitted.add(s);
        }
        return fitted;
    }
}
