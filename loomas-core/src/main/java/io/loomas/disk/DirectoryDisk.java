package io.loomas.disk;

import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.runtime.internal.CurrentTask;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@link Disk} on a real directory. Each call runs its I/O on a thread outside the loop when made
 * from a task ({@link Loop#offload}), so an {@code fsync} of several milliseconds does not hold up
 * the loop's other tasks.
 */
final class DirectoryDisk implements Disk {
    private final Path dir;

    DirectoryDisk(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir.toAbsolutePath());
    }

    private Path path(String file) {
        return dir.resolve(Disk.checkName(file));
    }

    @Override
    public byte[] read(String file) throws IOException {
        Path p = path(file);
        return io(() -> Files.exists(p) ? Files.readAllBytes(p) : new byte[0]);
    }

    @Override
    public boolean exists(String file) throws IOException {
        Path p = path(file);
        return io(() -> Files.exists(p));
    }

    @Override
    public List<String> files() throws IOException {
        return io(() -> {
            try (Stream<Path> all = Files.list(dir)) {
                return all.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            }
        });
    }

    @Override
    public void append(String file, byte[] data) throws IOException {
        writeFile(path(file), data, StandardOpenOption.APPEND);
    }

    @Override
    public void write(String file, byte[] data) throws IOException {
        writeFile(path(file), data, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Writes {@code data} to {@code p}, created if missing, at its end or over it ({@code mode}). */
    private static void writeFile(Path p, byte[] data, StandardOpenOption mode) throws IOException {
        io(() -> {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                writeFully(ch, data);
            }
            return null;
        });
    }

    @Override
    public void truncate(String file, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        Path p = path(file);
        io(() -> {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.truncate(size);
            }
            return null;
        });
    }

    @Override
    public void sync(String file) throws IOException {
        Path p = path(file);
        io(() -> {
            if (Files.exists(p)) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                syncDirectory(); // a new file's directory entry must be durable too
            }
            return null;
        });
    }

    @Override
    public void replace(String file, byte[] data) throws IOException {
        Path p = path(file);
        Path temp = dir.resolve("." + file + ".tmp");
        io(() -> {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, data);
                ch.force(true);
            }
            Files.move(temp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            return null;
        });
    }

    @Override
    public void delete(String file) throws IOException {
        Path p = path(file);
        io(() -> {
            if (Files.deleteIfExists(p)) {
                syncDirectory();
            }
            return null;
        });
    }

    private static void writeFully(FileChannel ch, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Syncs the directory, so that created, renamed and deleted entries survive a crash. */
    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (AccessDeniedException e) {
            // Some systems (Windows) cannot open a directory; their file systems order these updates themselves.
        }
    }

    /** Runs {@code work} off the loop when called from a task, else here. */
    private static <T> T io(Callable<T> work) throws IOException {
        Task<?> task = CurrentTask.get();
        try {
            return task == null ? work.call() : task.loop().offload(work).await();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // the file system's own error, as a direct call would throw it
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public String toString() {
        return "Disk[" + dir + "]";
    }
}
