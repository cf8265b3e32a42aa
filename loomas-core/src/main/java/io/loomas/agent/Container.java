package io.loomas.agent;

import io.loomas.codec.Codec;
import io.loomas.codec.Serializers;
import io.loomas.rpc.Expose;
import io.loomas.rpc.Remote;
import io.loomas.rpc.Rpc;
import io.loomas.rpc.RpcConnection;
import io.loomas.rpc.RpcOptions;
import io.loomas.rpc.RpcServer;
import io.loomas.rpc.ServiceMap;
import io.loomas.rpc.SubService;
import io.loomas.runtime.CancelledException;
import io.loomas.runtime.Clock;
import io.loomas.runtime.Future;
import io.loomas.runtime.Loop;
import io.loomas.runtime.Promise;
import io.loomas.runtime.Task;
import io.loomas.transport.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A home for agents: one server address, many agents, and the connections to other containers.
 *
 * {@snippet class="io.loomas.snippets.AgentSnippets" region="container"}
 *
 * <p>The container is the root service of its connections: agents live under {@code agents/<id>},
 * and {@code validate_aid} tells a peer whether an agent exists, as in aiomas. {@link #connect}
 * keeps one outgoing connection per remote container, shared by all agents and opened once even
 * when many tasks connect at the same time; it checks each agent once per connection. A connection
 * that drops is forgotten and opened again by the next {@code connect}.
 *
 * <p>Container connections register a date-time serializer at type id 0, then the user's
 * serializers (from the codec in {@link ContainerOptions#channelOptions()}), then the service/proxy
 * serializer, as aiomas does. Thread-safe; create it from a task: the agents run on that task's
 * loop.
 */
public final class Container implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Container.class);

    @SubService
    private final ServiceMap agents = new ServiceMap();

    private final Loop loop;
    private final Clock clock;
    private final RandomGenerator random;
    private final ContainerOptions options;
    private final RpcOptions rpcOptions;
    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentHashMap<Address, Promise<Outgoing>> connections = new ConcurrentHashMap<>();
    /** Every outgoing connection whose serving task has not ended, in opening order; guarded by itself. */
    private final Set<RpcConnection> opened = new java.util.LinkedHashSet<>();
    /** Each agent's running tasks, in the order they started (never hash-ordered: see Server). Guarded by itself. */
    private final Map<Agent, Set<Task<?>>> agentTasks = new java.util.LinkedHashMap<>();
    private volatile RpcServer server;
    /**
     * What the container's own tasks work for ({@link Task#owner()}): the owner of the task that
     * created it. An agent's tasks work for it too, whoever created the agent, so a simulation that
     * pauses or crashes a node stops all of them.
     */
    private final Object owner;
    private volatile boolean shutDown;

    private Container(Loop loop, Object owner, ContainerOptions options) {
        this.loop = loop;
        this.owner = owner;
        this.options = options;
        this.clock = options.clock() != null ? options.clock() : loop.clock();
        this.random = options.random() != null ? options.random() : new java.util.SplittableRandom();
        Codec user = options.channelOptions().codec();
        Serializers serializers = Serializers.NONE.with(DateTimeSerializer.create()).withAll(user.serializers());
        RpcOptions rpc = RpcOptions.DEFAULT
                .withChannelOptions(options.channelOptions().withCodec(user.withSerializers(serializers)))
                .withCallTimeout(options.callTimeout())
                .withMaxConcurrentCalls(options.maxConcurrentCalls());
        for (io.loomas.rpc.CallInterceptor i : options.interceptors()) {
            rpc = rpc.withInterceptor(i);
        }
        this.rpcOptions = rpc;
    }

    /**
     * Creates a container listening on {@code address} (port 0 picks a free port).
     *
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if not called from a task
     */
    public static Container create(Address address, ContainerOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Container c = new Container(Loop.current(), Task.current().owner(), options);
        c.server = Rpc.startServer(address, c, c.rpcOptions);
        log.debug("Container {} listening", c.address());
        return c;
    }

    /** {@return the address the container listens on} */
    public Address address() {
        return server.address();
    }

    /** {@return the agents' clock} */
    public Clock clock() {
        return clock;
    }

    /**
     * {@return the agents' source of randomness: seeded per node in a simulation, so that code which
     * takes its random numbers from here replays exactly; not thread-safe, like the agents' state}
     */
    public RandomGenerator random() {
        return random;
    }

    /** {@return the loop the agents run on} */
    public Loop loop() {
        return loop;
    }

    /** {@return the agents living here now, by id} */
    public Map<String, Agent> agents() {
        Map<String, Agent> out = new java.util.LinkedHashMap<>();
        agents.entries().forEach((id, a) -> out.put(id, (Agent) a));
        return out;
    }

    /**
     * Connects to the agent at {@code address} (text form) and returns a proxy for it.
     *
     * @throws IllegalArgumentException if the address is malformed
     * @throws AgentNotFoundException if the container there has no such agent
     * @throws IOException if the container cannot be reached within the connect timeout
     */
    public Remote connect(String address) throws IOException {
        return connect(AgentAddress.parse(address));
    }

    /** Connects to the agent at {@code address}; see {@link #connect(String)}. */
    public Remote connect(AgentAddress address) throws IOException {
        return connect(address, options.connectTimeout());
    }

    /** Connects to the agent at {@code address} and returns a typed proxy of {@code api} for it. */
    public <T> T connect(AgentAddress address, Class<T> api) throws IOException {
        return connect(address).as(api);
    }

    /**
     * Connects to the agent at {@code address}, retrying a refused connect for up to
     * {@code timeout}. A scheduling point.
     *
     * @throws AgentNotFoundException if the container there has no such agent
     * @throws IOException if the container cannot be reached in time
     */
    public Remote connect(AgentAddress address, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (shutDown) {
            throw new IllegalStateException("container " + address() + " is shut down; cannot connect to " + address);
        }
        Outgoing out = connection(address.container(), timeout);
        out.validate(address);
        return out.client.remote().at("agents/" + address.id());
    }

    /**
     * {@return the open connection to {@code target}, opening it unless another task is already}
     * The task that opens it shares the outcome through a promise: a joiner gets the same
     * {@code IOException}, and if the opener is cancelled, the joiners try again themselves (its
     * cancellation is its own, and must not end their calls).
     */
    private Outgoing connection(Address target, Duration timeout) throws IOException {
        while (true) {
            Promise<Outgoing> mine = new Promise<>();
            Promise<Outgoing> existing = connections.putIfAbsent(target, mine);
            if (existing != null) {
                Outgoing o = join(existing); // another task is connecting, or has connected
                if (o != null && o.client.isOpen()) {
                    return o;
                }
                connections.remove(target, existing); // dropped, or its opener gave up: open it again
                continue;
            }
            try {
                RpcConnection client = Rpc.connect(target, this, rpcOptions.withChannelOptions(
                        rpcOptions.channelOptions().withConnectTimeout(timeout)));
                Outgoing o = new Outgoing(client);
                client.closed().whenDone(() -> connections.remove(target, mine));
                // Kept past its close until the task serving it ends, so that shutdown waits for that
                // task even when the peer closed the connection first.
                synchronized (opened) {
                    opened.add(client);
                }
                client.servingDone().whenDone(() -> {
                    synchronized (opened) {
                        opened.remove(client);
                    }
                });
                mine.complete(o);
                return o;
            } catch (CancelledException e) {
                connections.remove(target, mine);
                mine.complete(null); // the joiners retry
                throw e;
            } catch (IOException | RuntimeException | Error e) {
                connections.remove(target, mine);
                mine.fail(e);
                throw e;
            }
        }
    }

    /** Waits for another task's connect; {@return its connection, or null if that task was cancelled} */
    private static Outgoing join(Promise<Outgoing> shared) throws IOException {
        try {
            return shared.await();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // the opener's own exception, of the type connect() documents
            }
            throw e;
        }
    }

    /**
     * Validates agents for each connect (an agent may have been removed since the last one, as in
     * aiomas); concurrent connects to the same agent share one question in flight.
     */
    private static final class Outgoing {
        final RpcConnection client;
        final ConcurrentHashMap<String, Future<Object>> validating = new ConcurrentHashMap<>();

        Outgoing(RpcConnection client) {
            this.client = client;
        }

        void validate(AgentAddress address) {
            String agent = address.agentId();
            Future<Object> check = validating.computeIfAbsent(agent, id -> client.remote().callAsync("validate_aid", id));
            check.whenDone(() -> validating.remove(agent, check)); // the next connect asks again
            Object answer = check.await();
            if (answer == null) {
                throw new AgentNotFoundException("no agent with id \"" + agent + "\" in the container at "
                        + AgentAddress.containerText(address.container()) + " (address " + address + ")");
            }
        }
    }

    /** Tells a peer whether agent {@code aid} lives here: its class name, or null. */
    @Expose("validate_aid")
    String validateAid(String aid) {
        return agents.get(aid) instanceof Agent a ? a.getClass().getSimpleName() : null;
    }

    /** Registers a new agent; {@return its id} */
    String register(Agent agent) {
        if (shutDown) {
            throw new IllegalStateException("container " + address() + " is shut down; cannot add " + agent.getClass().getName());
        }
        String id = Long.toString(nextId.getAndIncrement());
        agents.put(id, agent);
        return id;
    }

    /**
     * Removes {@code agent}: calls to it fail from now on ({@code Name "<id>" not found in "agents"})
     * and its tasks are cancelled.
     *
     * @return whether it was here
     */
    public boolean remove(Agent agent) {
        Objects.requireNonNull(agent, "agent");
        if (agents.get(agent.id()) != agent) {
            return false;
        }
        agents.remove(agent.id());
        List<Task<?>> tasks;
        synchronized (agentTasks) {
            Set<Task<?>> running = agentTasks.remove(agent);
            tasks = running == null ? List.of() : List.copyOf(running);
        }
        tasks.forEach(Task::cancel);
        return true;
    }

    <T> Task<T> spawnFor(Agent agent, String name, Callable<T> body) {
        Task<T> t = loop.spawn(agent + " " + name, owner, body);
        Set<Task<?>> tasks;
        synchronized (agentTasks) {
            tasks = agentTasks.computeIfAbsent(agent, a -> new java.util.LinkedHashSet<>());
            tasks.add(t);
        }
        t.whenDone(() -> {
            synchronized (agentTasks) {
                tasks.remove(t);
            }
        });
        return t;
    }

    /**
     * Shuts the container down: stops accepting, closes every connection, cancels the agents'
     * tasks, and returns once all of that has finished. A scheduling point. Does nothing the second
     * time.
     */
    public void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        server.close();
        List<RpcConnection> outgoing;
        synchronized (opened) {
            outgoing = new ArrayList<>(opened);
        }
        connections.clear();
        outgoing.forEach(RpcConnection::close);
        List<Task<?>> tasks = new ArrayList<>();
        synchronized (agentTasks) {
            agentTasks.values().forEach(tasks::addAll);
        }
        tasks.forEach(Task::cancel);
        Future.allSettled(tasks).await(); // cancelled or failed: either way they are gone
        server.awaitClosed();
        for (RpcConnection c : outgoing) {
            c.awaitClosed();
        }
        log.debug("Container {} shut down", address());
    }

    /**
     * Shuts the container down gracefully: stops accepting, lets the calls to its agents that
     * arrived already finish within {@code grace} (on its loop's clock; a call that arrives
     * meanwhile fails at once, saying it was not served), then does what {@link #shutdown()} does.
     * A scheduling point.
     *
     * @return whether every call in flight finished within {@code grace}
     */
    public boolean shutdown(Duration grace) {
        if (shutDown) {
            return true;
        }
        boolean inTime = server.shutdown(grace);
        shutdown();
        return inTime;
    }

    /** The same as {@link #shutdown()}: at once, beside {@link #shutdown(Duration)}. */
    public void shutdownNow() {
        shutdown();
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    @Override
    public String toString() {
        return "Container('" + AgentAddress.containerText(address()) + "')";
    }
}
