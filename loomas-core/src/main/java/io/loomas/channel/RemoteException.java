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
        String summary = summary(remoteText);
        String first = summary.lines().findFirst().orElse("");
        int colon = first.indexOf(": ");
        boolean typed = colon > 0 && first.substring(0, colon).matches("[\\w.$]+");
        this.remoteType = typed ? first.substring(0, colon) : (first.matches("[\\w.$]+") ? first : "");
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

    /**
     * The lines naming type and message (the message may have several): Python puts them last,
     * after the last indented frame line; Java first, before the first indented line or cause.
     */
    private static String summary(String text) {
        String[] lines = text.strip().split("\\R");
        if (lines.length == 0) {
            return "";
        }
        int from = 0;
        int to = lines.length;
        if (lines[0].startsWith("Traceback (most recent call last)")) {
            from = 1;
            for (int i = lines.length - 1; i > 0; i--) {
                if (!lines[i].isEmpty() && Character.isWhitespace(lines[i].charAt(0))) {
                    from = i + 1;
                    break;
                }
            }
        } else {
            for (int i = 1; i < lines.length; i++) {
                if ((!lines[i].isEmpty() && Character.isWhitespace(lines[i].charAt(0)))
                        || lines[i].startsWith("Caused by: ")) {
                    to = i;
                    break;
                }
            }
        }
        if (from >= to) {
            return lines[lines.length - 1].strip();
        }
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, to)).strip();
    }
}
