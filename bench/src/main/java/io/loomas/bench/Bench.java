package io.loomas.bench;

import io.loomas.codec.Codec;
import io.loomas.transport.Address;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@code bench} command: runs every benchmark of issue 7 and prints one Markdown table per
 * figure, loomas next to its peers, measured alternately in the same run.
 */
public final class Bench {
    private final Settings settings;
    private final PrintStream out;
    private final Map<String, String> goals = new LinkedHashMap<>();

    Bench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        BenchMetrics.bindIfAsked(); // for the life of this JVM
        new Bench(settings, System.out).run();
        System.exit(0);
    }

    void run() throws Exception {
        long t0 = System.nanoTime();
        out.println("# loomas benchmarks");
        out.println();
        out.printf("- date: %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.printf("- machine: %d cores, %s %s, JDK %s (%s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
        out.printf("- load average at start: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf("- settings: %s%n", settings);
        out.printf("- loomas metrics (-Dbench.metrics): %s%n%n", BenchMetrics.on()
                ? "on in this JVM (LoomasMetrics, Prometheus registry with histograms)" : "off in this JVM");
        var sections = settings.sections;
        boolean needServers = sections.contains("tcp") || sections.contains("latency") || sections.contains("unix");
        Path unixDir = Files.createTempDirectory(Path.of("/tmp"), "lb");
        try (RemoteServers servers = needServers ? RemoteServers.start(settings.serverInProcess, unixDir) : null) {
            if (sections.contains("tcp") || sections.contains("latency")) {
                List<Driver> drivers = open(servers, "tcp", true);
                try {
                    warmUp(drivers);
                    if (sections.contains("tcp")) {
                        throughput("RPC throughput, loopback TCP, one connection", drivers, settings.callers);
                    }
                    if (sections.contains("latency")) {
                        latency(drivers);
                    }
                } finally {
                    closeAll(drivers);
                }
            }
            if (sections.contains("unix")) {
                List<Driver> drivers = open(servers, "unix", false);
                try {
                    warmUp(drivers);
                    throughput("RPC throughput, Unix domain socket, one connection", drivers,
                            settings.otherTransportCallers);
                } finally {
                    closeAll(drivers);
                }
            }
        }
        if (sections.contains("local")) {
            local(unixDir);
        }
        Files.deleteIfExists(unixDir);
        if (sections.contains("lifecycle")) {
            lifecycle();
        }
        if (sections.contains("agents")) {
            agents();
        }
        if (sections.contains("connections")) {
            connections();
        }
        if (sections.contains("codec")) {
            codecs();
        }
        if (sections.contains("sim")) {
            SimBench.run(out, settings, goals);
        }
        if (sections.contains("check")) {
            CheckBench.run(out);
        }
        if (sections.contains("find")) {
            FindBench.run(out, settings.findSeeds);
        }
        if (!goals.isEmpty()) {
            out.println("## Goals (issues 7 and 18)");
            out.println();
            out.println("| goal | measured | met |");
            out.println("|---|---|---|");
            goals.forEach((goal, row) -> out.println("| " + goal + " | " + row + " |"));
            out.println();
        }
        out.printf("Total wall time: %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    // ---- drivers and servers ------------------------------------------------------------------

    /** The servers' addresses, in a JVM of their own unless asked otherwise. */
    static final class RemoteServers implements AutoCloseable {
        private final Map<String, String> addresses;
        private final Process process;
        private final Servers inProcess;

        private RemoteServers(Map<String, String> addresses, Process process, Servers inProcess) {
            this.addresses = addresses;
            this.process = process;
            this.inProcess = inProcess;
        }

        static RemoteServers start(boolean inProcess, Path unixDir) throws IOException {
            if (inProcess) {
                Servers s = Servers.start(unixDir);
                return new RemoteServers(s.addresses(), null, s);
            }
            Process p = Jvm.start(List.of(), Servers.class, List.of(unixDir.toString()));
            Map<String, String> addresses = new LinkedHashMap<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("READY")) {
                String[] kv = line.split(" ", 2);
                if (kv.length == 2) {
                    addresses.put(kv[0], kv[1]);
                }
            }
            if (line == null) {
                throw new IOException("the server JVM ended before it was ready (exit " + waitFor(p) + ")");
            }
            return new RemoteServers(addresses, p, null);
        }

        private static int waitFor(Process p) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        String get(String key) {
            String a = addresses.get(key);
            if (a == null) {
                throw new IllegalStateException("no server " + key + " (have: " + addresses.keySet() + ")");
            }
            return a;
        }

        @Override
        public void close() throws Exception {
            if (process != null) {
                process.getOutputStream().close();
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            if (inProcess != null) {
                inProcess.close();
            }
        }
    }

    private static List<Driver> open(RemoteServers servers, String transport, boolean withGrpc) throws IOException {
        List<Driver> drivers = new ArrayList<>();
        for (Codec codec : List.of(Codec.json(), Codec.msgpack())) {
            drivers.add(new LoomasRpc.Client("loomas " + codec.name(),
                    Address.parse(servers.get(codec.name() + "-" + transport)), codec));
        }
        drivers.add(new RawEcho.Client("raw limit", servers.get("raw-" + transport)));
        if (withGrpc) {
            // Both of gRPC's client paths; loomas is judged against the better one.
            drivers.add(new GrpcEcho.Client(servers.get("grpc-" + transport)));
            drivers.add(new GrpcEcho.AsyncClient(servers.get("grpc-" + transport)));
        }
        return drivers;
    }

    private static void closeAll(List<Driver> drivers) throws Exception {
        for (Driver d : drivers) {
            d.close();
        }
    }

    private void warmUp(List<Driver> drivers) throws Exception {
        for (Driver d : drivers) {
            long millis = GrpcEcho.isGrpc(d) ? settings.grpcWarmupMillis : settings.warmupMillis;
            // Both payloads, many callers and one: every path the measurements take gets compiled.
            for (Payload p : Payload.values()) {
                d.measure(64, p, millis * 1_000_000L * 2 / 5, null);
                d.measure(1, p, millis * 1_000_000L / 10, null);
            }
        }
    }

    // ---- throughput ---------------------------------------------------------------------------

    private void throughput(String title, List<Driver> drivers, List<Integer> callerCounts) throws Exception {
        out.println("## " + title);
        out.println();
        out.printf("Calls per second, median of %d runs of %d ms (min–max); systems measured in turn, the order rotating per run.%n%n",
                settings.runs, settings.durationMillis);
        List<Driver> loomas = drivers.stream().filter(d -> d instanceof LoomasRpc.Client).toList();
        List<Driver> peers = drivers.stream().filter(d -> !(d instanceof LoomasRpc.Client)).toList();
        StringBuilder header = new StringBuilder("| payload | callers |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (Driver d : drivers) {
            header.append(' ').append(d.name()).append(" |");
            rule.append("---:|");
        }
        for (Driver l : loomas) {
            for (Driver p : peers) {
                header.append(' ').append(l.name().replace("loomas ", "")).append(" / ").append(p.name()).append(" |");
                rule.append("---:|");
            }
        }
        out.println(header);
        out.println(rule);
        for (Payload payload : Payload.values()) {
            for (int callers : callerCounts) {
                Map<Driver, double[]> rates = new LinkedHashMap<>();
                drivers.forEach(d -> rates.put(d, new double[settings.runs]));
                for (int run = 0; run < settings.runs; run++) {
                    for (int k = 0; k < drivers.size(); k++) {
                        Driver d = drivers.get((k + run) % drivers.size());
                        rates.get(d)[run] = d.measure(callers, payload, settings.durationMillis * 1_000_000L, null).perSecond();
                    }
                }
                StringBuilder row = new StringBuilder("| " + payload.label + " | " + callers + " |");
                for (Driver d : drivers) {
                    row.append(' ').append(Stats.rate(rates.get(d))).append(" |");
                }
                double bestGrpc = peers.stream().filter(GrpcEcho::isGrpc).mapToDouble(p -> Stats.median(rates.get(p)))
                        .max().orElse(Double.NaN);
                for (Driver l : loomas) {
                    for (Driver p : peers) {
                        double ratio = Stats.median(rates.get(l)) / Stats.median(rates.get(p));
                        row.append(String.format(Locale.ROOT, " %.2fx |", ratio));
                        if (callers == 64 && payload == Payload.ADD && title.contains("TCP") && !GrpcEcho.isGrpc(p)) {
                            goals.put(l.name() + " throughput, 64 callers, add, TCP ≥ 0.5x " + p.name(),
                                    String.format(Locale.ROOT, "%.2fx | %s", ratio, ratio >= 0.5 ? "yes" : "**no**"));
                        }
                    }
                    if (callers == 64 && payload == Payload.ECHO_4K && title.contains("TCP")) {
                        for (Driver p : peers) {
                            if (!GrpcEcho.isGrpc(p)) {
                                double ratio = Stats.median(rates.get(l)) / Stats.median(rates.get(p));
                                goals.put(l.name() + " throughput, 64 callers, 4 KiB echo, TCP ≥ 0.4x " + p.name() + " (issue 18)",
                                        String.format(Locale.ROOT, "%.2fx | %s", ratio, ratio >= 0.4 ? "yes" : "**no**"));
                            }
                        }
                    }
                    if (callers == 64 && payload == Payload.ADD && title.contains("TCP") && !Double.isNaN(bestGrpc)) {
                        double ratio = Stats.median(rates.get(l)) / bestGrpc;
                        goals.put(l.name() + " throughput, 64 callers, add, TCP ≥ 1x the better gRPC-java client",
                                String.format(Locale.ROOT, "%.2fx | %s", ratio, ratio >= 1.0 ? "yes" : "**no**"));
                    }
                }
                out.println(row);
                Driver json = loomas.stream().filter(d -> d.name().endsWith("json")).findFirst().orElse(null);
                Driver msgpack = loomas.stream().filter(d -> d.name().endsWith("msgpack")).findFirst().orElse(null);
                if (callers == 64 && title.contains("TCP") && json != null && msgpack != null) {
                    double ratio = Stats.median(rates.get(msgpack)) / Stats.median(rates.get(json));
                    goals.put("loomas msgpack ≥ loomas json, 64 callers, " + payload.label + ", TCP (issue 18)",
                            String.format(Locale.ROOT, "%.2fx | %s", ratio, ratio >= 1.0 ? "yes" : "**no**"));
                }
            }
        }
        out.println();
    }

    // ---- latency ------------------------------------------------------------------------------

    private void latency(List<Driver> drivers) throws Exception {
        out.println("## RPC latency, one outstanding call, loopback TCP, add(int,int)");
        out.println();
        out.printf("Microseconds; each percentile is the median over %d runs of %d ms (p50 with min–max); systems in turn.%n%n",
                settings.runs, settings.durationMillis);
        Map<Driver, double[][]> results = new LinkedHashMap<>();
        drivers.forEach(d -> results.put(d, new double[3][settings.runs]));
        long[] samples = new long[drivers.size()];
        for (int run = 0; run < settings.runs; run++) {
            for (int k = 0; k < drivers.size(); k++) {
                int index = (k + run) % drivers.size();
                Driver d = drivers.get(index);
                LatencyRecorder r = new LatencyRecorder(1 << 20);
                d.measure(1, Payload.ADD, settings.durationMillis * 1_000_000L, r);
                double[][] q = results.get(d);
                q[0][run] = r.quantileMicros(0.50);
                q[1][run] = r.quantileMicros(0.99);
                q[2][run] = r.quantileMicros(0.999);
                samples[index] += r.count();
            }
        }
        Driver raw = drivers.stream().filter(d -> d instanceof RawEcho.Client).findFirst().orElseThrow();
        Driver grpc = drivers.stream().filter(GrpcEcho::isGrpc).min(java.util.Comparator.comparingDouble(
                d -> Stats.median(results.get(d)[0]))).orElse(null); // the faster gRPC client
        out.println("| system | p50 µs | p99 µs | p99.9 µs | samples | p50 / raw | p50 / faster gRPC |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        double rawP50 = Stats.median(results.get(raw)[0]);
        double grpcP50 = grpc == null ? Double.NaN : Stats.median(results.get(grpc)[0]);
        for (int i = 0; i < drivers.size(); i++) {
            Driver d = drivers.get(i);
            double[][] q = results.get(d);
            double p50 = Stats.median(q[0]);
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %.0f | %d | %.2fx | %.2fx |%n", d.name(), Stats.micros(q[0]),
                    Stats.median(q[1]), Stats.median(q[2]), samples[i], p50 / rawP50, p50 / grpcP50);
            if (d instanceof LoomasRpc.Client) {
                goals.put(d.name() + " p50 latency ≤ 1.2x raw limit (issue 18; issue 7 asked 1.3x)",
                        String.format(Locale.ROOT, "%.2fx | %s", p50 / rawP50, p50 / rawP50 <= 1.2 ? "yes" : "**no**"));
            }
        }
        out.println();
    }

    // ---- local transport ----------------------------------------------------------------------

    private void local(Path unixDir) throws Exception {
        List<LoomasRpc.Server> servers = new ArrayList<>();
        List<Driver> drivers = new ArrayList<>();
        try {
            for (Codec codec : List.of(Codec.json(), Codec.msgpack())) {
                LoomasRpc.Server s = new LoomasRpc.Server(Address.local("bench-" + codec.name()), codec);
                servers.add(s);
                drivers.add(new LoomasRpc.Client("loomas " + codec.name(), s.address(), codec));
            }
            // The in-JVM queue has no codec-free peer of its own: the raw Unix-socket echo, server in
            // this same JVM so both sides share the two cores as the local transport's do, stands in.
            RawEcho.Server raw = RawEcho.Server.unix(unixDir.resolve("raw-local.sock"));
            drivers.add(new RawEcho.Client("raw limit (Unix, same JVM)", raw.address()));
            try {
                warmUp(drivers);
                throughput("RPC throughput, local (in-JVM) transport, server in the same JVM", drivers,
                        settings.otherTransportCallers);
                allocation(drivers.stream().filter(d -> d instanceof LoomasRpc.Client).toList());
            } finally {
                closeAll(drivers);
                raw.close();
            }
        } finally {
            for (LoomasRpc.Server s : servers) {
                s.close();
            }
        }
    }

    /**
     * Heap allocated per call with both sides in this JVM (the local transport): the JVM's total of
     * allocated bytes (every thread's, carriers of virtual threads included) across a measured run,
     * over its calls. Nothing else runs meanwhile but this JVM's own housekeeping.
     */
    private void allocation(List<Driver> loomas) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        out.println("## Heap allocated per call, local (in-JVM) transport, client and server together");
        out.println();
        out.printf("Bytes per call (`ThreadMXBean.getTotalThreadAllocatedBytes` across a run of %d ms, divided by its calls); "
                + "median of %d runs (min–max).%n%n", settings.durationMillis, settings.runs);
        out.println("| system | payload | callers | bytes per call |");
        out.println("|---|---|---:|---:|");
        for (Driver d : loomas) {
            for (Payload payload : Payload.values()) {
                for (int callers : List.of(1, 64)) {
                    double[] perCall = new double[settings.runs];
                    for (int run = 0; run < settings.runs; run++) {
                        long before = threads.getTotalThreadAllocatedBytes();
                        Measurement m = d.measure(callers, payload, settings.durationMillis * 1_000_000L, null);
                        perCall[run] = (threads.getTotalThreadAllocatedBytes() - before) / (double) m.calls();
                    }
                    out.println("| " + d.name() + " | " + payload.label + " | " + callers + " | " + Stats.bytes(perCall) + " |");
                }
            }
        }
        out.println();
    }

    // ---- overheads ----------------------------------------------------------------------------

    private void lifecycle() {
        out.println("## Container create + connect + one call + shutdown");
        out.println();
        out.printf("Each iteration: a fresh loop (`Loop.run`), two containers, an agent in the second, the first connects "
                + "to it and calls it once, both shut down. %d warm-up iterations per transport (until the JIT has compiled "
                + "the path; see BENCHMARKS.md for how the figure falls with warm-up), then %d measured (per transport, "
                + "alternating in blocks).%n%n", settings.lifecycleWarmup, settings.lifecycleIterations);
        out.println("| transport | median ms | p99 ms | min ms | max ms | goal (median) | median / goal |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        int phases = Overheads.PHASES.size();
        long[] coldTcp = null;
        for (String transport : List.of("tcp", "local")) {
            // The first 200 runs of a fresh JVM, for what a short test suite sees.
            int cold = Math.min(200, settings.lifecycleWarmup);
            long[] first = Overheads.lifecycle(transport, 0, cold)[phases];
            if (transport.equals("tcp")) {
                coldTcp = first.clone();
                Arrays.sort(coldTcp);
            }
            Overheads.lifecycle(transport, settings.lifecycleWarmup - cold, 0);
        }
        int blocks = 4;
        int perBlock = Math.max(1, settings.lifecycleIterations / blocks);
        Map<String, long[][]> all = new LinkedHashMap<>();
        for (int b = 0; b < blocks; b++) {
            for (String transport : List.of("tcp", "local")) {
                long[][] t = Overheads.lifecycle(transport, 0, perBlock);
                long[][] sofar = all.computeIfAbsent(transport, k -> new long[phases + 1][blocks * perBlock]);
                for (int p = 0; p <= phases; p++) {
                    System.arraycopy(t[p], 0, sofar[p], b * perBlock, perBlock);
                }
            }
        }
        for (long[][] t : all.values()) {
            for (long[] row : t) {
                Arrays.sort(row);
            }
        }
        all.forEach((transport, rows) -> {
            long[] t = rows[phases];
            double median = Stats.quantile(t, 0.5) / 1e6;
            out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | 5 ms | %.2fx |%n", transport, median,
                    Stats.quantile(t, 0.99) / 1e6, t[0] / 1e6, t[t.length - 1] / 1e6, median / 5.0);
            goals.put("container start+connect+call+shutdown ≤ 5 ms median (" + transport + ")",
                    String.format(Locale.ROOT, "%.2f ms | %s", median, median <= 5 ? "yes" : "**no**"));
            if (transport.equals("tcp")) {
                goals.put("container start+connect+call+shutdown ≤ 0.5 ms median (tcp, issue 18)",
                        String.format(Locale.ROOT, "%.2f ms | %s", median, median <= 0.5 ? "yes" : "**no**"));
            }
        });
        out.println();
        if (coldTcp.length > 0) {
            out.printf(Locale.ROOT, "The first %d TCP lifecycles of this JVM, before the warm-up was over: median %.2f ms, p99 %.2f ms.%n%n",
                    coldTcp.length, Stats.quantile(coldTcp, 0.5) / 1e6, Stats.quantile(coldTcp, 0.99) / 1e6);
        }
        out.println("The measured TCP lifecycles by phase:");
        out.println();
        out.println("| phase | median µs | p90 µs |");
        out.println("|---|---:|---:|");
        long[][] tcp = all.get("tcp");
        for (int p = 0; p < phases; p++) {
            out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", Overheads.PHASES.get(p),
                    Stats.quantile(tcp[p], 0.5) / 1e3, Stats.quantile(tcp[p], 0.9) / 1e3);
        }
        try {
            long[] raw = Overheads.rawConnects(Math.min(200, settings.lifecycleWarmup), Math.max(1, settings.lifecycleIterations));
            out.printf(Locale.ROOT, "| a raw JDK TCP connect and accept, for scale | %.1f | %.1f |%n",
                    Stats.quantile(raw, 0.5) / 1e3, Stats.quantile(raw, 0.9) / 1e3);
        } catch (java.io.IOException e) {
            out.println("| a raw JDK TCP connect (not measured: " + e.getMessage() + ") | | |");
        }
        out.println();
    }

    private String[] overheadResult(List<String> jvmArgs, List<String> args) throws Exception {
        if (settings.serverInProcess) {
            String line = switch (args.get(0)) {
                case "agents" -> Overheads.agents(Integer.parseInt(args.get(1)));
                default -> Overheads.connections(Integer.parseInt(args.get(1)), args.get(2));
            };
            return line.split(" ");
        }
        Process p = Jvm.start(jvmArgs, Overheads.class, args);
        String result = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("RESULT ")) {
                result = line.substring("RESULT ".length());
            }
        }
        int exit = p.waitFor();
        if (result == null) {
            throw new IllegalStateException("Overheads " + args + " printed no result (exit " + exit + ")");
        }
        return result.split(" ");
    }

    private void agents() throws Exception {
        out.println("## Memory per idle agent");
        out.println();
        List<String> jvm = List.of("-Xmx6g", "-Xms1g", "-XX:+UseG1GC");
        out.printf("%,d idle agents (`Agent` subclass without fields) in one container; heap used after `System.gc()` "
                + "before and after, in a JVM of its own (%s).%n%n", settings.agents, String.join(" ", jvm));
        String[] r = overheadResult(jvm, List.of("agents", Integer.toString(settings.agents)));
        long before = Long.parseLong(r[0]);
        long after = Long.parseLong(r[1]);
        double perAgent = (after - before) / (double) settings.agents;
        out.println("| agents | heap before MiB | heap after MiB | bytes per agent | goal | per agent / goal | create time s |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | %.0f | 1024 | %.2fx | %.2f |%n%n", settings.agents, before / 1048576.0,
                after / 1048576.0, perAgent, perAgent / 1024, Double.parseDouble(r[2]));
        goals.put("≤ 1 KiB per idle agent", String.format(Locale.ROOT, "%.0f bytes | %s", perAgent,
                perAgent <= 1024 ? "yes" : "**no**"));
    }

    private void connections() throws Exception {
        out.println("## Memory and threads per open connection to one container");
        out.println();
        out.printf("RPC clients connect to one container and call it once each; both ends in one JVM of its own "
                + "(-Xmx2g), so every figure covers a connection's client and server side. Threads: platform threads from "
                + "`ThreadMXBean`, all threads (virtual ones too) from a JSON thread dump. TCP is capped by the "
                + "file-descriptor limit (`ulimit -n`, two descriptors per connection in one process).%n%n");
        out.println("| transport | connections | heap per connection KiB | platform threads before → after | all threads before → after | threads per connection | connect time s |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (String transport : List.of("local", "tcp")) {
            String[] r = overheadResult(List.of("-Xmx2g"), List.of("connections", Integer.toString(settings.connections), transport));
            int n = Integer.parseInt(r[0]);
            double heap = (Long.parseLong(r[2]) - Long.parseLong(r[1])) / (double) n / 1024;
            int allBefore = Integer.parseInt(r[5]);
            int allAfter = Integer.parseInt(r[6]);
            out.printf(Locale.ROOT, "| %s | %,d | %.1f | %s → %s | %,d → %,d | %.2f | %.2f |%n", transport, n, heap, r[3], r[4],
                    allBefore, allAfter, (allAfter - allBefore) / (double) n, Double.parseDouble(r[7]));
        }
        out.println();
    }

    // ---- codecs -------------------------------------------------------------------------------

    private void codecs() throws Exception {
        out.println("## Codec micro-benchmarks (JMH)");
        out.println();
        if (settings.jmhMillis == 0) {
            // The smoke test: make sure the benchmark's code runs, without forking JMH.
            for (String codec : List.of("json", "msgpack")) {
                for (String request : List.of("add", "echo4k")) {
                    CodecBenchmark b = new CodecBenchmark();
                    b.codec = codec;
                    b.request = request;
                    b.setUp();
                    for (int i = 0; i < 100; i++) {
                        b.encodeDecode();
                    }
                }
            }
            out.println("(not measured: smoke run)");
            out.println();
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(CodecBenchmark.class.getName() + "." + (settings.jmhFull ? "" : "encodeDecode"))
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.milliseconds(settings.jmhMillis))
                .measurementIterations(settings.jmhIterations)
                .measurementTime(TimeValue.milliseconds(settings.jmhMillis))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT);
        out.printf("`CodecBenchmark`, throughput mode, 1 fork, 2 warm-up + %d measured iterations of %d ms; "
                + "a request frame `[0, 42, [path, args, {}]]`.%n%n", settings.jmhIterations, settings.jmhMillis);
        var results = new Runner(options.build()).run();
        Map<String, double[]> byRequest = new LinkedHashMap<>();
        out.println("| benchmark | request | JSON ops/s | MsgPack ops/s | MsgPack / JSON |");
        out.println("|---|---|---:|---:|---:|");
        Map<String, Map<String, RunResult>> table = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String key = bench + " | " + r.getParams().getParam("request");
            table.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.getParams().getParam("codec"), r);
        }
        table.forEach((key, row) -> {
            double json = row.get("json").getPrimaryResult().getScore();
            double msgpack = row.get("msgpack").getPrimaryResult().getScore();
            out.printf(Locale.ROOT, "| %s | %s ± %s | %s ± %s | %.2fx |%n", key, Stats.count(json),
                    Stats.count(row.get("json").getPrimaryResult().getScoreError()), Stats.count(msgpack),
                    Stats.count(row.get("msgpack").getPrimaryResult().getScoreError()), msgpack / json);
        });
        byRequest.clear();
        out.println();
    }

    static String describe(long[] values) {
        return Arrays.toString(values);
    }
}
