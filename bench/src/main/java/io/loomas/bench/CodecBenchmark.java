package io.loomas.bench;

import io.loomas.codec.Codec;
import io.loomas.codec.Message;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode + decode of a typical RPC request frame ({@code [0, id, [path, args, kwargs]]}) as the
 * channel layer does it, in JSON and MsgPack: {@code add(3, 4)} and a 4 KiB string argument.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    @Param({"json", "msgpack"})
    public String codec;

    @Param({"add", "echo4k"})
    public String request;

    private Codec c;
    private Message message;
    private byte[] encoded;

    @Setup
    public void setUp() {
        c = Codec.byName(codec);
        Object content = request.equals("add")
                ? Arrays.asList("add", Arrays.asList(3, 4), Map.of())
                : Arrays.asList("echo", Arrays.asList(Payload.text4k()), Map.of());
        message = Message.request(42, content);
        encoded = c.encodeMessage(message);
    }

    /** One frame out and one frame in: what a call costs in codec work on one side. */
    @Benchmark
    public Message encodeDecode() {
        return c.decodeMessage(c.encodeMessage(message));
    }

    /** Encoding alone. */
    @Benchmark
    public byte[] encode() {
        return c.encodeMessage(message);
    }

    /** Decoding alone. */
    @Benchmark
    public Message decode() {
        return c.decodeMessage(encoded);
    }
}
