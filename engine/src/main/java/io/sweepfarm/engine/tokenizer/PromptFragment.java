package io.sweepfarm.engine.tokenizer;

/**
 * One piece of a parsed prompt: text with its attention weight, or a {@code BREAK} marker that ends the current
 * 75-token chunk.
 *
 * @param text the literal text (escapes resolved); {@code "BREAK"} for a break marker
 * @param weight the product of the emphasis multipliers around the text; 1.0 for plain text and for breaks
 * @param isBreak whether this is a {@code BREAK} marker rather than text
 */
public record PromptFragment(String text, double weight, boolean isBreak) {

    /** The marker A1111 emits for the keyword {@code BREAK}. */
    public static final PromptFragment BREAK = new PromptFragment("BREAK", 1.0, true);

    /** Text with a weight. */
    public static PromptFragment of(String text, double weight) {
        return new PromptFragment(text, weight, false);
    }
}
