package io.sweepfarm.coordinator.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records the application's log lines (it logs through the JVM's log manager) while open. */
public final class LogCapture implements AutoCloseable {

    /** One captured line: level, the formatted message, and the class of its exception, if any. */
    public record Line(Level level, String message, String thrown) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r.getMessage();
            try {
                if (r.getParameters() != null && r.getParameters().length > 0 && message != null) {
                    message = message.contains("%") ? String.format(message, r.getParameters())
                            : java.text.MessageFormat.format(message, r.getParameters());
                }
            } catch (RuntimeException e) {
                // keep the raw message
            }
            String formatted = message;
            if (r instanceof org.jboss.logmanager.ExtLogRecord ext) {
                formatted = ext.getFormattedMessage();
            }
            lines.add(new Line(r.getLevel(), formatted == null ? "" : formatted,
                    r.getThrown() == null ? null : r.getThrown().getClass().getName()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Lines at ERROR (SEVERE) or above. */
    public List<Line> errors() {
        return lines.stream().filter(l -> l.level().intValue() >= Level.SEVERE.intValue()).toList();
    }

    public long count(String fragment) {
        return lines.stream().filter(l -> l.message().contains(fragment)).count();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
