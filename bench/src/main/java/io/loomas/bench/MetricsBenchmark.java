package io.loomas.bench;

import io.loomas.micrometer.LoomasMetrics;
import io.loomas.runtime.internal.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What loomas' metrics cost per RPC call on one side: the report a served call makes, with
 * nothing listening and with {@link LoomasMetrics} bound to a Prometheus registry (latency
 * histograms on). A call served and made in one JVM pays it twice.
 *
 * <p>Run: {@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)"
 * org.openjdk.jmh.Main MetricsBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {

    @Param({"off", "prometheus"})
    public String metrics;

    private LoomasMetrics bound;
    private long nanos;

    @Setup(Level.Trial)
    public void bind() {
        if (metrics.equals("prometheus")) {
            bound = new LoomasMetrics();
            bound.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
    }

    @TearDown(Level.Trial)
    public void unbind() {
        if (bound != null) {
            bound.close();
        }
    }

    /** What CallDispatcher does for each served call: a check, and with a sink the timer's record. */
    @Benchmark
    public boolean servedCall() {
        boolean active = Telemetry.active();
        if (active) {
            Telemetry.callServed("add", null, 4_000 + (nanos++ & 1023));
        }
        return active;
    }
}
