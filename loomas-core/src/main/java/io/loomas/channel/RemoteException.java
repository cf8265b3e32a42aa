package io.loomas.channel;

import java.util.Objects;

/**
 * A failure reply from the peer: the remote side's request handler failed.
 *
 * <p>It carries where it came from (the peer's address), the remote exception's type name and
 * message, and the full remote text: a Java stack trace from a loomas peer (its first line is
 * {@code fully.qualified.Type: message}) or a Python traceback from an aiomas peer (its last line
 * is {@code Type: message}). {@link #getMessage()} fits on one screen: origin, type and message,
 * then the first lines of the remote trace.
 */
public class RemoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int TRACE_LINES_IN_MESSAGE = 8;

    private final String origin;
    private final String remoteType;
    private final String remoteMessage;
    private final String remoteText;

    /**
     * Creates an exception from a failure reply's text.
     *
     * @param origin the peer that sent it, as an address text
     * @param remoteText the remote stack trace or traceback
     */
    public RemoteException(String origin, String remoteText) {
        super(null, null, false, true);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.remoteText = Objects.requireNonNull(remoteText, "remoteText");
        String summary = summaryLine(remoteText);
        int colon = summary.indexOf(": ");
        boolean typed = colon > 0 && summary.substring(0, colon).matches("[\\w.$]+");
        this.remoteType = typed ? summary.substring(0, colon) : (summary.matches("[\\w.$]+") ? summary : "");
        this.remoteMessage = typed ? summary.substring(colon + 2) : (remoteType.isEmpty() ? summary : "");
    }

    /** {@return the peer the failure came from} */
    public String origin() {
        return origin;
    }

    /** {@return the remote exception's type name (fully qualified for Java peers), or "" if unknown} */
    public String remoteType() {
        return remoteType;
    }

    /** {@return the remote exception's message} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** {@return the whole remote stack trace or traceback, as sent} */
    public String remoteText() {
        return remoteText;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder("remote failure from ").append(origin).append(": ");
        sb.append(remoteType.isEmpty() ? remoteMessage : remoteType + (remoteMessage.isEmpty() ? "" : ": " + remoteMessage));
        String[] lines = remoteText.strip().split("\\R");
        if (lines.length > 1) {
            int shown = Math.min(lines.length, TRACE_LINES_IN_MESSAGE);
            sb.append("\nRemote trace:");
            for (int i = 0; i < shown; i++) {
                sb.append("\n  | ").append(lines[i]);
            }
            if (lines.length > shown) {
                sb.append("\n  | ... ").append(lines.length - shown).append(" more lines (see remoteText())");
            }
        }
        return sb.toString();
    }

    /** The line naming type and message: Python puts it last, Java first. */
    private static String summaryLine(String text) {
        String[] lines = text.strip().split("\\R");
        if (lines.length == 0) {
            return "";
        }
        if (lines[0].startsWith("Traceback (most recent call last)")) {
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank() && !Character.isWhitespace(lines[i].charAt(0))) {
                    return lines[i].strip();
                }
            }
        }
        return lines[0].strip();
    }
}
