/**
 * The deterministic simulation: many containers in one process on virtual time, a faulty simulated
 * network, crashes and restarts, and a trace per run that one seed replays exactly.
 */
module io.loomas.sim {
    requires transitive io.loomas;
    requires com.fasterxml.jackson.core;

    exports io.loomas.sim;
    exports io.loomas.sim.check;
    exports io.loomas.sim.internal to io.loomas.junit;
}
