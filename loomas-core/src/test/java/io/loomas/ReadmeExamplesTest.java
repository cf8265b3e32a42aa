package io.loomas;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomas.agent.Agent;
import io.loomas.agent.AgentAddress;
import io.loomas.agent.Container;
import io.loomas.agent.ContainerOptions;
import io.loomas.channel.Channel;
import io.loomas.channel.ChannelOptions;
import io.loomas.channel.Channels;
import io.loomas.channel.Request;
import io.loomas.channel.Server;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Queue;
import io.loomas.runtime.Task;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import io.loomas.transport.Address;

/** The README's examples, as written there: they must compile and do what the README says. */
class ReadmeExamplesTest {

    static class Calculator {
        @Expose int add(int a, int b) { return a + b; }
    }

    interface CalculatorApi {
        int add(int a, int b);
    }

    static class ExampleAgent extends Agent {
        ExampleAgent(Container container) {
            super(container);
        }

        int run(AgentAddress target, int num) throws IOException {
            Remote other = container().connect(target);
            return (Integer) other.call("service", num);
        }

        @Expose
        int service(int value) {
            clock().sleep(Duration.ofMillis(1));
            return value;
        }
    }

    @Test
    void theRpcExampleAddsTypedAndUntyped() {
        int sum = Loop.run(() -> {
            RpcServer server = Rpc.startServer(Address.tcp("127.0.0.1", 0), new Calculator(), RpcOptions.DEFAULT);
            try (RpcConnection client = Rpc.connect(server.address(), RpcOptions.DEFAULT)) {
                int typed = client.remote(CalculatorApi.class).add(3, 4);      // 7
                Object untyped = client.remote().call("add", 3, 4);           // 7
                assertThat(untyped).isEqualTo(7);
                return typed;
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertThat(sum).isEqualTo(7);
    }

    @Test
    void theAgentExampleAnswersFortyTwo() {
        int answer = Loop.run(() -> {
            try (Container container = Container.create(Address.tcp("127.0.0.1", 0), ContainerOptions.DEFAULT)) {
                ExampleAgent a = new ExampleAgent(container);
                ExampleAgent b = new ExampleAgent(container);
                return a.run(b.address(), 42);                                 // 42
            }
        });
        assertThat(answer).isEqualTo(42);
    }

    @Test
    void theChannelExampleRepliesCya() {
        String reply = Loop.run(() -> {
            Server server = Channels.startServer(Address.tcp("127.0.0.1", 0), channel -> {
                Request request = channel.recv();         // waits without holding the loop
                request.reply("cya");
            }, ChannelOptions.DEFAULT);
            try (Channel channel = Channels.connect(server.address(), ChannelOptions.DEFAULT)) {
                return (String) channel.send("ohai");     // "cya"
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertThat(reply).isEqualTo("cya");
    }

    @Test
    void theQueueExampleSumsToFiveThousandFifty() {
        int total = Loop.run(() -> {
            Loop loop = Loop.current();
            Queue<Integer> queue = new Queue<>(10);
            Task<Integer> consumer = loop.spawn("consumer", () -> {
                int sum = 0;
                for (int i = 0; i < 100; i++) {
                    sum += queue.take();
                }
                return sum;
            });
            for (int i = 1; i <= 100; i++) {
                queue.put(i);                             // waits while the queue is full
            }
            return consumer.await();                      // 5050
        });
        assertThat(total).isEqualTo(5050);
    }
}
