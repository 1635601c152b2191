package io.sweepfarm.cli;

/**
 * A mistake the user can fix: the message is one sentence that says what is wrong and how to fix it, printed
 * without a stack trace.
 */
final class CliError extends RuntimeException {

    CliError(String message) {
        super(message);
    }
}
