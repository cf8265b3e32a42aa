package io.loomas.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules over loomas' own main sources that keep a seed's run reproducible: no hash-ordered
 * collection keyed by objects whose hash is their identity (its iteration order changes from run to
 * run, and it reaches the schedule and the trace), and no identity hash in text. A use that only
 * looks up (never iterates) or never runs in a simulation is listed below with its reason.
 */
class SourceRulesTest {
    private static final List<Path> SOURCES = List.of(Path.of("../loomas-core/src/main/java"),
            Path.of("src/main/java"), Path.of("../loomas-junit/src/main/java"));

    /** Key types whose hash codes are values, not identities. */
    private static final java.util.Set<String> VALUE_KEYS = java.util.Set.of("String", "Long", "Integer", "Address");

    /** Identity-keyed hash collections that are fine, by file and key type, with why. */
    private static final Map<String, String> ALLOWED = Map.of(
            "Serializers.java:Class<?>", "lookups only: a cache of the type id per class",
            "Router.java:Object", "lookups only: the path of a service object, and a cycle check",
            "ServiceMap.java:Object", "lookups only: the name of an entry's value",
            "TlsTransport.java:Socket", "real sockets only, never in a simulation: handshakes to abort on close",
            "Linearizability.java:Seen", "lookups only: the (placed operations, state) pairs a search has tried",
            "SeededScheduler.java:Task<?>", "lookups only: PCT's priority of a task; purged with an order-free removeIf");

    private static final Pattern HASHED = Pattern.compile(
            "(?:Set|Map)<\\s*([\\w.]+(?:<[^<>]*>)?)[^=]*=\\s*(?:Collections\\.synchronized\\w+\\()?"
                    + "(?:new\\s+)?(?:[\\w.]+\\.)?(?:HashSet|HashMap|ConcurrentHashMap|IdentityHashMap)\\b");

    private static List<Path> javaFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : SOURCES) {
            assertThat(root).as("source root %s (run from the loomas-sim module)", root.toAbsolutePath()).isDirectory();
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void noHashOrderedCollectionIsKeyedByIdentity() throws IOException {
        List<String> found = new ArrayList<>();
        int checked = 0;
        for (Path file : javaFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = HASHED.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                checked++;
                String key = m.group(1); // the first type argument: the key's type
                if (!VALUE_KEYS.contains(key) && !ALLOWED.containsKey(file.getFileName() + ":" + key)) {
                    found.add(file + ":" + (i + 1) + " keyed by " + key + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(checked).as("hash collections found (the rule must see them)").isGreaterThan(10);
        assertThat(found).as("identity-keyed hash collections; use LinkedHashMap/LinkedHashSet (insertion order)"
                + " or explain in ALLOWED why the order never matters").isEmpty();
    }

    @Test
    void noIdentityHashReachesText() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains("identityHashCode(") && !line.contains("hashCode()") && !line.contains("\"hashCode\"")
                        && !(i > 0 && lines.get(i - 1).contains("int hashCode()"))) {
                    found.add(file + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }
        assertThat(found).as("identity hashes outside hashCode(): they would differ between runs of one seed").isEmpty();
    }
}
