/**
 * JUnit 5 extension for loomas: {@link io.loomas.junit.LoomasTest} runs each test method as the main
 * task of a fresh loop, {@link io.loomas.junit.TransportTest} runs it once per transport and codec,
 * and after every test the kit closes what it opened and fails the test on what was left behind.
 *
 * <p>To let the tasks a test spawned do their work before it looks, call
 * {@link io.loomas.runtime.Loop#runUntilIdle()} from the test: it returns once every other task of
 * the loop waits for something. Under {@code @LoomasTest(clock = ClockKind.VIRTUAL)} clock sleeps
 * return at once when nothing else can run.
 *
 * <p>Unless stated otherwise, {@code null} arguments are rejected with a {@link NullPointerException}.
 */
package io.loomas.junit;
