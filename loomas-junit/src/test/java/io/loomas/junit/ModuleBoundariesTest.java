package io.loomas.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors of loomas' library jars, resolved for real on a module path made of this
 * test's class path: what each exports, that the internals reach only loomas' own modules, that a
 * program runs in the resolved layer, and that {@code docs/architecture.md} lists exactly the
 * public types of the exported packages.
 */
class ModuleBoundariesTest {
    private static final Path ARCHITECTURE = Path.of("../docs/architecture.md");
    private static final Set<String> LOOMAS = Set.of("io.loomas", "io.loomas.sim", "io.loomas.junit", "io.loomas.micrometer");

    private static ModuleLayer layer;

    @BeforeAll
    static void resolveTheModules() {
        // Directories without a descriptor (test classes) are not modules; every jar is one.
        Path[] entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.toString().endsWith(".jar") || Files.exists(p.resolve("module-info.class")))
                .toArray(Path[]::new);
        ModuleFinder finder = ModuleFinder.of(entries);
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of("io.loomas.junit", "io.loomas.micrometer"));
        layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void eachModuleExportsItsApiPackagesAndNoInternals() {
        assertThat(exports("io.loomas")).isEqualTo(Map.of(
                "io.loomas.agent", Set.of(), "io.loomas.channel", Set.of(), "io.loomas.codec", Set.of(), "io.loomas.disk", Set.of(),
                "io.loomas.rpc", Set.of(), "io.loomas.runtime", Set.of(), "io.loomas.transport", Set.of(),
                "io.loomas.runtime.internal", Set.of("io.loomas.sim", "io.loomas.junit", "io.loomas.micrometer")));
        assertThat(exports("io.loomas.sim")).isEqualTo(Map.of("io.loomas.sim", Set.of(), "io.loomas.sim.check", Set.of(),
                "io.loomas.sim.internal", Set.of("io.loomas.junit")));
        assertThat(exports("io.loomas.junit")).isEqualTo(Map.of("io.loomas.junit", Set.of()));
        assertThat(exports("io.loomas.micrometer")).isEqualTo(Map.of("io.loomas.micrometer", Set.of()));

        Module core = layer.findModule("io.loomas").orElseThrow();
        assertThat(core.getPackages()).contains("io.loomas.codec.internal", "io.loomas.transport.internal");
        Module unnamed = ClassLoader.getSystemClassLoader().getUnnamedModule();
        assertThat(core.isExported("io.loomas.runtime", unnamed)).isTrue();
        assertThat(core.isExported("io.loomas.runtime.internal", unnamed)).isFalse();
        assertThat(core.isExported("io.loomas.runtime.internal", layer.findModule("io.loomas.sim").orElseThrow())).isTrue();
    }

    @Test
    void theKitOpensItsPackageToJunitWhichCreatesItsExtensions() {
        ModuleDescriptor kit = layer.findModule("io.loomas.junit").orElseThrow().getDescriptor();
        assertThat(kit.opens()).singleElement().satisfies(o -> {
            assertThat(o.source()).isEqualTo("io.loomas.junit");
            assertThat(o.targets()).containsExactly("org.junit.platform.commons");
        });
    }

    @Test
    void aProgramRunsInTheResolvedLayer() throws Exception {
        ClassLoader loader = layer.findLoader("io.loomas");
        Class<?> loop = loader.loadClass("io.loomas.runtime.Loop");
        assertThat(loop.getModule().getName()).isEqualTo("io.loomas");
        Method run = loop.getMethod("run", Callable.class);
        Callable<String> main = () -> "ran on " + Thread.currentThread().getName();
        assertThat((String) run.invoke(null, main)).startsWith("ran on loop-");
    }

    @Test
    void theArchitectureDocumentListsThePublicTypesOfEachExportedPackage() throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        Pattern line = Pattern.compile("^- `(io\\.loomas[a-z.]*)`: (.*)$");
        for (String l : Files.readAllLines(ARCHITECTURE)) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                Set<String> names = Pattern.compile("`([A-Za-z]+)`").matcher(m.group(2)).results()
                        .map(r -> r.group(1)).collect(Collectors.toCollection(TreeSet::new));
                documented.put(m.group(1), names);
            }
        }
        assertThat(documented).as("public types per exported package, as %s lists them", ARCHITECTURE)
                .isEqualTo(publicTypesOfExportedPackages());
    }

    /** {@return each package the module exports, with the modules it is exported to (none: everyone)} */
    private static Map<String, Set<String>> exports(String module) {
        return layer.findModule(module).orElseThrow().getDescriptor().exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
    }

    private static Map<String, Set<String>> publicTypesOfExportedPackages() throws IOException {
        Map<String, Set<String>> types = new TreeMap<>();
        for (String name : LOOMAS) {
            Module module = layer.findModule(name).orElseThrow();
            Set<String> exported = module.getDescriptor().exports().stream()
                    .filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
            ModuleReference ref = layer.configuration().findModule(name).orElseThrow().reference();
            try (ModuleReader reader = ref.open(); Stream<String> resources = reader.list()) {
                for (String resource : resources.filter(r -> r.endsWith(".class") && !r.contains("$") && !r.endsWith("-info.class")).toList()) {
                    String className = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                    int dot = className.lastIndexOf('.');
                    if (dot < 0 || !exported.contains(className.substring(0, dot))) {
                        continue;
                    }
                    Class<?> c = loadQuietly(module.getClassLoader(), className);
                    if (Modifier.isPublic(c.getModifiers())) {
                        types.computeIfAbsent(c.getPackageName(), k -> new TreeSet<>()).add(c.getSimpleName());
                    }
                }
            }
        }
        return new LinkedHashMap<>(types);
    }

    private static Class<?> loadQuietly(ClassLoader loader, String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name, e);
        }
    }
}
