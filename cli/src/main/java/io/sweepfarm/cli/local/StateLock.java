package io.sweepfarm.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The lock that lets one {@code sweepfarm up} (or {@code demo}) at a time use a state directory. The operating
 * system releases it when the process dies, even by SIGKILL. The lock file also says who holds it and, once known,
 * the coordinator URL, so that other commands find a running {@code up} and a second one can say where the first is.
 */
public final class StateLock implements AutoCloseable {

    static final String FILE = "sweepfarm.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** What a lock file says about its holder. */
    public record Holder(long pid, String command, Optional<String> coordinatorUrl) {
    }

    /**
     * Takes the lock of {@code stateDir} for {@code command}.
     *
     * @return the lock, or empty with nothing taken when another process (or this one) holds it
     */
    public static Optional<StateLock> tryAcquire(Path stateDir, String command) {
        try {
            Files.createDirectories(stateDir);
            FileChannel channel = FileChannel.open(stateDir.resolve(FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            StateLock held = new StateLock(channel, lock);
            held.write(command, null);
            return Optional.of(held);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + stateDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Records the coordinator URL for the other commands. */
    public void publish(String command, String coordinatorUrl) {
        try {
            write(command, coordinatorUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    private void write(String command, String coordinatorUrl) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("pid=").append(ProcessHandle.current().pid()).append('\n');
        s.append("command=").append(command).append('\n');
        if (coordinatorUrl != null) {
            s.append("url=").append(coordinatorUrl).append('\n');
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
    }

    /** Who holds the lock of {@code stateDir}, if a live process does. */
    public static Optional<Holder> holder(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            long pid = Long.parseLong(p.getProperty("pid", "-1").trim());
            if (!io.sweepfarm.devstack.Processes.isAlive(pid)) {
                return Optional.empty();
            }
            return Optional.of(new Holder(pid, p.getProperty("command", "sweepfarm"),
                    Optional.ofNullable(p.getProperty("url"))));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Releases the lock and clears what the file says, so that no one is sent to a stopped coordinator. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // released by the operating system when the process ends anyway
        }
    }
}
