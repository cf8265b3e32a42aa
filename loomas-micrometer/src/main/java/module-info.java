/**
 * Micrometer metrics of loomas: {@code LoomasMetrics} binds calls, failures, latency histograms,
 * connections and queue depths to a {@code MeterRegistry}.
 */
module io.loomas.micrometer {
    requires transitive io.loomas;
    requires transitive micrometer.core;

    exports io.loomas.micrometer;
}
