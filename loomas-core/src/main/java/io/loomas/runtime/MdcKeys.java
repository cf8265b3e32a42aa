package io.loomas.runtime;

/**
 * The keys loomas puts in SLF4J's {@link org.slf4j.MDC mapped diagnostic context}, so that a log
 * line says which loop, task and peer it came from. Every task runs with {@link #LOOP} and
 * {@link #TASK} set; a task serving a connection (its handler, the calls of its peer) and the
 * threads reading and writing a connection also carry {@link #PEER}. A task starts with a copy of
 * the context of the thread that spawned it, so a key of yours (a request id) follows the work it
 * spawns, and so does the peer it works for.
 *
 * <p>The values reach the log only through a backend that keeps an MDC (Logback, Log4j 2);
 * {@code slf4j-simple} drops them. With Logback, a pattern such as
 * {@code %d %-5level [%X{loomas.loop}/%X{loomas.task}] %X{loomas.peer} %logger{20} - %msg%n} shows
 * them.
 *
 * {@snippet class="io.loomas.snippets.RuntimeSnippets" region="mdc"}
 */
public final class MdcKeys {
    /** The name of the loop the line came from ({@link LoopOptions#withName}). */
    public static final String LOOP = "loomas.loop";
    /** The name of the task the line came from ({@link Loop#spawn(String, java.util.concurrent.Callable)}). */
    public static final String TASK = "loomas.task";
    /** The address of the connection's other end, as {@code Address.toString()} writes it. */
    public static final String PEER = "loomas.peer";

    private MdcKeys() {}
}
