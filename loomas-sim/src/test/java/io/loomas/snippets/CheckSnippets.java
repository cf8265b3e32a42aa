package io.loomas.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Task;
import io.loomas.sim.Simulation;
import io.loomas.sim.check.History;
import io.loomas.sim.check.Linearizability;
import io.loomas.sim.check.Models;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the history and linearizability Javadoc, compiled and run. */
class CheckSnippets {

    /** A register served by one agent: linearizable, since its loop runs one call at a time. */
    static final class RegisterAgent extends Agent {
        private Object value;

        RegisterAgent(Container c) {
            super(c);
        }

        @Expose
        Object read() {
            return value;
        }

        @Expose
        void write(Object v) {
            value = v;
        }
    }

    @Test
    void clientsOfARegisterRecordAHistoryThatIsLinearizable() {
        try (Simulation sim = Simulation.withSeed(7)) {
            Linearizability.Result result = sim.run(() -> {
                Container server = sim.container("server", RegisterAgent::new);
                // @start region="history"
                History history = History.on(sim.clock());
                List<Task<Object>> clients = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    String name = "client-" + c;
                    Container mine = sim.container(name);
                    Remote register = mine.connect(new AgentAddress(server.address(), "0"));
                    int n = c;
                    clients.add(Loop.current().spawn(() -> {
                        History.Call write = history.invoke(name, new Models.Write(n));
                        register.call("write", n);
                        write.ok(null);
                        History.Call read = history.invoke(name, new Models.Read());
                        read.ok(register.call("read"));
                        return null;
                    }));
                }
                // @end
                for (Task<Object> t : clients) {
                    t.await();
                }
                // @start region="check"
                Linearizability.Result r = Linearizability.check(history, Models.register());
                r.assertLinearizable();   // or: the operation no order can place, and those concurrent with it
                // @end
                return r;
            });
            assertThat(result.explanation()).isEqualTo("linearizable: 6 operations in 1 part(s)");
        }
    }
}
