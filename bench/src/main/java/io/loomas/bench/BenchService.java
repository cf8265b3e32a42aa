package io.loomas.bench;

import io.loomas.rpc.Expose;

/** What the loomas RPC servers expose: the two calls of the throughput tables. */
public final class BenchService {

    /** The small call. */
    @Expose
    public int add(int a, int b) {
        return a + b;
    }

    /** The 4 KiB call: the value comes back as it went. */
    @Expose
    public String echo(String value) {
        return value;
    }

    /** The typed view the clients call through. */
    public interface Api {
        int add(int a, int b);

        String echo(String value);
    }
}
