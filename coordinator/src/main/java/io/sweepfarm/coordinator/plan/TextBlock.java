package io.sweepfarm.coordinator.plan;

import java.util.List;

/**
 * The slowest block of a sweep's ordinal: prompts × negative prompts (or the two paired, when zipped) × the Prompt
 * S/R replacements, in that order of significance. A1111's Prompt S/R replaces every occurrence of the first entry,
 * in the prompt and in the negative prompt, by each entry in turn (the first leaves the text as it is).
 */
final class TextBlock {

    private final List<String> prompts;
    private final List<String> negatives;
    private final List<String> replacements;
    private final boolean zipped;
    private final long perText;

    TextBlock(List<String> prompts, List<String> negatives, List<String> replacements, boolean zipped) {
        this.prompts = prompts;
        this.negatives = negatives;
        this.replacements = replacements;
        this.zipped = zipped;
        this.perText = Math.max(1, replacements.size());
    }

    long size() {
        return (zipped ? prompts.size() : (long) prompts.size() * negatives.size()) * perText;
    }

    String prompt(long digit) {
        long pair = digit / perText;
        return replace(prompts.get((int) (zipped ? pair : pair / negatives.size())), digit);
    }

    String negativePrompt(long digit) {
        long pair = digit / perText;
        return replace(negatives.get((int) (zipped ? pair : pair % negatives.size())), digit);
    }

    private String replace(String text, long digit) {
        int r = (int) (digit % perText);
        return r == 0 ? text : text.replace(replacements.get(0), replacements.get(r));
    }
}
