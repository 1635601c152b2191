package io.sweepfarm.engine.model;

/**
 * Text-encoder hidden states for a batch, [batch, sequence, hidden] row-major (the U-Net's
 * {@code encoder_hidden_states}). The array is shared, not copied.
 */
public record TextStates(float[] data, int batch, int sequence, int hidden) {

    public TextStates {
        if (batch < 1 || sequence < 1 || hidden < 1 || data.length != (long) batch * sequence * hidden) {
            throw new IllegalArgumentException("text states hold " + data.length + " values, not [" + batch + ", "
                    + sequence + ", " + hidden + "]");
        }
    }

    /** States of {@code batch} rows of {@code sequence} tokens; the width follows from the array's length. */
    public static TextStates of(float[] data, int batch, int sequence) {
        if (batch < 1 || sequence < 1 || data.length % (batch * sequence) != 0) {
            throw new IllegalArgumentException("text states hold " + data.length + " values, not a multiple of "
                    + batch + "x" + sequence);
        }
        return new TextStates(data, batch, sequence, data.length / (batch * sequence));
    }
}
