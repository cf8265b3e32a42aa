package io.loomas.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomas.codec.Codec;
import io.loomas.codec.CodecException;
import io.loomas.codec.Message;
import io.loomas.codec.MessageType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The path from a request's bytes to a method: decoding, path resolution, argument conversion and
 * the call, on arbitrary bytes (JSON or MsgPack, by the first byte). Every failure must be one a
 * peer is told about (no route, bad arguments, undecodable); never an {@code Error}, another
 * exception from loomas itself, or a hang. {@code mvn test} runs the committed corpus.
 */
class DispatchFuzzTest {
    record Point(int x, int y) {}

    enum Color { RED, GREEN }

    /** Methods whose parameters exercise every kind of conversion. */
    public static class Service {
        @Expose
        int add(int a, int b) {
            return a + b;
        }

        @Expose
        int count(Map<Long, String> byId, Set<Color> colors) {
            return byId.size() + colors.size();
        }

        @Expose
        Point mirror(Point p) {
            return new Point(p.y(), p.x());
        }

        @Expose
        double sum(List<Double> values, byte[] raw, java.math.BigInteger big) {
            return values.stream().mapToDouble(Double::doubleValue).sum() + raw.length + big.bitLength();
        }

        @Expose
        String join(String... parts) {
            return String.join(",", parts);
        }

        @SubService
        final Sub sub = new Sub();
    }

    public static class Sub {
        @Expose
        Map<String, Point> points(Map<String, Point> in) {
            return in;
        }
    }

    private static final Router ROUTER = Router.of(new Service());

    @FuzzTest(maxDuration = "30m")
    void requestsReachMethodsOrFailAsThePeerIsTold(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        Codec codec = (data[0] & 1) == 0 ? Codec.json() : Codec.msgpack();
        Message m;
        try {
            m = codec.decodeMessage(data, 1, data.length - 1);
        } catch (CodecException e) {
            return; // the connection would close, naming why
        }
        if (m.type() != MessageType.REQUEST || !(m.content() instanceof List<?> parts) || parts.size() != 3
                || !(parts.get(0) instanceof String path) || !(parts.get(1) instanceof List<?> args)
                || !(parts.get(2) instanceof Map<?, ?> kwargs)
                || kwargs.keySet().stream().anyMatch(k -> !(k instanceof String))) {
            return; // a "malformed RPC request" or "keyword argument name is not a string" failure reply
        }
        try {
            @SuppressWarnings("unchecked")
            Object result = ROUTER.resolve(path).invoke((List<Object>) args, (Map<String, Object>) kwargs);
            codec.encode(result); // a reply can be sent
        } catch (NoRouteException | IllegalArgumentException | ArithmeticException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(2000);
        }
    }
}
