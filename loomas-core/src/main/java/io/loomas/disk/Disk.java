package io.loomas.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's durable storage: named files that survive a crash once {@linkplain #sync synced}.
 *
 * {@snippet class="io.loomas.snippets.DiskSnippets" region="disk"}
 *
 * <p>The same code runs for real and in a simulation: {@link #directory(Path)} keeps the files in
 * a directory and syncs them with {@code fsync}; a simulation's {@code sim.disk(node)} keeps them
 * in memory for the node, across its crashes and restarts. Writes are visible to {@link #read} at
 * once, but durable only after {@link #sync}: when a node crashes, its writes since the last sync of
 * a file may all be lost, all kept, or kept in part, the last one torn (a simulation decides with
 * its seed), as on a real disk. So a program that answers "done" before it synced shows its bug.
 *
 * <p>File names are 1 to 255 letters, digits, {@code '.'}, {@code '_'} or {@code '-'}, not starting
 * with a dot. A service-provider interface: implement it to keep a node's state elsewhere. Each
 * method is a scheduling point where it waits for I/O; not thread-safe (use it from one node's tasks).
 */
public interface Disk {

    /**
     * {@return the contents of {@code file} as written so far (synced or not); empty if it does not exist}
     *
     * @throws IllegalArgumentException if the name is not a valid file name
     */
    byte[] read(String file) throws IOException;

    /** {@return whether {@code file} exists (was written, and not deleted)} */
    boolean exists(String file) throws IOException;

    /** {@return the names of the files that exist, in name order} */
    List<String> files() throws IOException;

    /** Adds {@code data} at the end of {@code file}, creating it if needed. Durable after {@link #sync}. */
    void append(String file, byte[] data) throws IOException;

    /**
     * Replaces the contents of {@code file} with {@code data}, in place: until {@link #sync}, a crash
     * may leave the old contents, the new ones, or a torn mix. For a small file that must change
     * all at once (a term and a vote), use {@link #replace}.
     */
    void write(String file, byte[] data) throws IOException;

    /** Cuts {@code file} to its first {@code size} bytes. Durable after {@link #sync}. */
    void truncate(String file, long size) throws IOException;

    /**
     * Makes what was written to {@code file} durable: once this returns, it survives a crash.
     * Does nothing for a file that does not exist.
     */
    void sync(String file) throws IOException;

    /**
     * Replaces the contents of {@code file} with {@code data} atomically and durably: after a crash
     * it holds either the old contents or, once this returned, the new ones; never a mix. (For
     * real: a temporary file, synced, renamed over the old one, and the directory synced.)
     */
    void replace(String file, byte[] data) throws IOException;

    /** Deletes {@code file}, durably; does nothing if it does not exist. */
    void delete(String file) throws IOException;

    /**
     * {@return a disk whose files are those of directory {@code dir} (created if missing), synced
     * with {@code fsync}}
     *
     * @throws IOException if the directory cannot be created
     */
    static Disk directory(Path dir) throws IOException {
        return new DirectoryDisk(dir);
    }

    /**
     * Checks a file name.
     *
     * @return the name
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static String checkName(String file) {
        if (file == null || file.isEmpty() || file.length() > 255 || file.charAt(0) == '.'
                || !file.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-')) {
            throw new IllegalArgumentException("not a file name: " + (file == null ? "null" : "\"" + file + "\"")
                    + " (expected: 1 to 255 of A-Z a-z 0-9 . _ -, not starting with '.')");
        }
        return file;
    }
}
