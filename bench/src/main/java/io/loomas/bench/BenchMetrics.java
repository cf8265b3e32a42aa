package io.loomas.bench;

import io.loomas.micrometer.LoomasMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * loomas' metrics in a benchmark JVM when {@code -Dbench.metrics=true}: a Prometheus registry
 * with latency histograms, as a service would run it, to measure what the metrics cost.
 */
final class BenchMetrics {
    private BenchMetrics() {}

    /** {@return whether this JVM measures with loomas' metrics on} */
    static boolean on() {
        return Boolean.getBoolean("bench.metrics");
    }

    /** Binds the metrics, if asked, for the rest of this JVM's life. */
    static void bindIfAsked() {
        if (on()) {
            new LoomasMetrics().bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
    }
}
