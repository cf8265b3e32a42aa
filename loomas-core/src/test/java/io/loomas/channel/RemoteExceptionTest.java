package io.loomas.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Type and message out of a failure reply's text, from Python (aiomas) and Java (loomas) peers. */
class RemoteExceptionTest {

    @Test
    void aPythonTracebackGivesItsLastTypeAndMessage() {
        RemoteException e = new RemoteException("tcp://p:1", """
                Traceback (most recent call last):
                  File "/srv/agent.py", line 12, in add
                    raise ValueError("bad")
                ValueError: bad
                """);
        assertThat(e.remoteType()).isEqualTo("ValueError");
        assertThat(e.remoteMessage()).isEqualTo("bad");
    }

    /** Regression: only the last line was taken, so the type was "" and the message "line two". */
    @Test
    void aPythonMessageOfSeveralLinesIsKeptWhole() {
        RemoteException e = new RemoteException("tcp://p:1", """
                Traceback (most recent call last):
                  File "/srv/agent.py", line 12, in add
                    raise ValueError("line one\\nline two")
                ValueError: line one
                line two
                """);
        assertThat(e.remoteType()).isEqualTo("ValueError");
        assertThat(e.remoteMessage()).isEqualTo("line one\nline two");
        assertThat(e.getMessage()).startsWith("remote failure from tcp://p:1: ValueError: line one\nline two");
    }

    @Test
    void aChainedPythonTracebackGivesTheLastException() {
        RemoteException e = new RemoteException("tcp://p:1", """
                Traceback (most recent call last):
                  File "a.py", line 1, in f
                KeyError: 'x'

                During handling of the above exception, another exception occurred:

                Traceback (most recent call last):
                  File "a.py", line 3, in f
                RuntimeError: lookup failed
                """);
        assertThat(e.remoteType()).isEqualTo("RuntimeError");
        assertThat(e.remoteMessage()).isEqualTo("lookup failed");
    }

    @Test
    void aJavaTraceOfAMessageOfSeveralLinesGivesTheWholeMessage() {
        RemoteException e = new RemoteException("tcp://p:1", """
                java.lang.IllegalStateException: first
                second
                \tat io.loomas.Example.run(Example.java:10)
                Caused by: java.io.IOException: deeper
                \tat io.loomas.Example.io(Example.java:20)
                """);
        assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.remoteMessage()).isEqualTo("first\nsecond");
    }

    @Test
    void textWithoutATypeIsAllMessage() {
        RemoteException e = new RemoteException("tcp://p:1", "something went wrong");
        assertThat(e.remoteType()).isEmpty();
        assertThat(e.remoteMessage()).isEqualTo("something went wrong");
        assertThat(new RemoteException("x", "KeyError").remoteType()).isEqualTo("KeyError");
    }
}
