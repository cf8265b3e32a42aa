/**
 * Benchmarks of loomas against the raw-socket limit and gRPC-java, overheads a test suite pays,
 * and codec micro-benchmarks; {@link io.loomas.bench.Bench} is the {@code bench} command. Not an
 * API: nothing here is meant to be called from other code.
 */
package io.loomas.bench;
