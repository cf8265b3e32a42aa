/**
 * Codecs: how messages and values become bytes on the wire, in JSON and MsgPack, with registered
 * custom types.
 *
 * <p>A {@link io.loomas.codec.Codec} turns a {@link io.loomas.codec.Message} (the
 * {@code [type, id, content]} envelope of the wire format) or any supported value into a payload
 * and back. Both codecs speak the bytes of Python's aiomas 2.x: the JSON codec writes exactly what
 * {@code json.dumps} writes, the MsgPack codec what {@code msgpack.packb(..., use_bin_type=True)}
 * writes. Values of other classes travel as {@code {"__type__": [typeId, data]}} once registered
 * in {@link io.loomas.codec.Serializers}; RPC turns decoded values back into the declared types
 * of parameters and results.
 *
 * <h2>Null policy</h2>
 * Unless a method says otherwise, passing {@code null} to any method or constructor of this
 * package throws a {@link java.lang.NullPointerException}. {@code null} as a <em>value</em> to
 * encode, decode or convert is allowed: it is the wire's {@code null}/{@code nil}.
 *
 * <h2>Threads</h2>
 * Every public type here is immutable and thread-safe, except {@link io.loomas.codec.Codec}
 * implementations supplied by users, which must be too.
 *
 * <h2>Errors</h2>
 * Every encoding, decoding and conversion problem is a {@link io.loomas.codec.CodecException}
 * whose message names the value or type, the rule it broke and, where one exists, the remedy.
 */
package io.loomas.codec;

