/**
 * The JUnit 5 kit: {@code @LoomasTest}, {@code @TransportTest} and {@code @SimulationTest}, with a
 * fresh loop per test, every transport, clean teardown and leak checks.
 */
module io.loomas.junit {
    requires transitive io.loomas;
    requires transitive io.loomas.sim;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;
    requires org.opentest4j;
    requires com.tngtech.archunit;

    exports io.loomas.junit;
    // JUnit creates the kit's extensions and providers, which are not public, by reflection.
    opens io.loomas.junit to org.junit.platform.commons;
}
