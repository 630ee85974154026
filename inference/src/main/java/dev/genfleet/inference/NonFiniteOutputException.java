package dev.genfleet.inference;

/**
 * A model produced NaN or an infinity where the contract promises a number (a pixel, a logit, a
 * realism score). Never passed on as a value: the job fails with reason {@value #CODE}.
 */
public final class NonFiniteOutputException extends IllegalStateException {

    /** The reason code a job gets when its output was not finite. */
    public static final String CODE = "NON_FINITE_OUTPUT";

    public NonFiniteOutputException(String message) {
        super(message);
    }

    /** Throws unless every value of {@code values[from, to)} is finite; {@code what} names them in the message. */
    public static void requireFinite(float[] values, int from, int to, String what) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                throw new NonFiniteOutputException(what + " holds " + values[i] + " at index " + (i - from)
                        + " (the engine returned a non-finite value)");
            }
        }
    }
}
