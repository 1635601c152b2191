package io.sweepfarm.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Emphasis parsing. Unless noted, the cases and their expected fragments are the doctests of
 * {@code parse_prompt_attention} in AUTOMATIC1111/stable-diffusion-webui {@code modules/prompt_parser.py}; the
 * weights there are Python doubles computed in the same multiplication order, so they compare exactly.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PromptAttentionParserTest {

    private static PromptFragment t(String text, double weight) {
        return PromptFragment.of(text, weight);
    }

    @Test
    void plain_text_has_weight_one() {
        assertThat(PromptAttentionParser.parse("normal text")).containsExactly(t("normal text", 1.0));
    }

    @Test
    void round_brackets_multiply_by_one_point_one() {
        assertThat(PromptAttentionParser.parse("an (important) word"))
                .containsExactly(t("an ", 1.0), t("important", 1.1), t(" word", 1.0));
    }

    @Test
    void unbalanced_brackets_apply_to_the_end() {
        assertThat(PromptAttentionParser.parse("(unbalanced")).containsExactly(t("unbalanced", 1.1));
    }

    @Test
    void escaped_brackets_are_literal() {
        assertThat(PromptAttentionParser.parse("\\(literal\\]")).containsExactly(t("(literal]", 1.0));
    }

    @Test
    void neighbours_with_equal_weights_merge() {
        assertThat(PromptAttentionParser.parse("(unnecessary)(parens)")).containsExactly(t("unnecessaryparens", 1.1));
    }

    @Test
    void nested_and_explicit_weights_multiply() {
        assertThat(PromptAttentionParser.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).")).containsExactly(
                t("a ", 1.0), t("house", 1.5730000000000004), t(" ", 1.1), t("on", 1.0), t(" a ", 1.1),
                t("hill", 0.55), t(", sun, ", 1.1), t("sky", 1.4641000000000006), t(".", 1.1));
    }

    @Test
    void square_brackets_divide_by_one_point_one() {
        // 1 / 1.1 (not a doctest; the multiplier is square_bracket_multiplier in prompt_parser.py)
        assertThat(PromptAttentionParser.parse("[a]")).containsExactly(t("a", 1 / 1.1));
        assertThat(PromptAttentionParser.parse("((a))")).containsExactly(t("a", 1.1 * 1.1));
    }

    @Test
    void an_explicit_weight_may_have_spaces_around_it() {
        assertThat(PromptAttentionParser.parse("(a: 1.2 )")).containsExactly(t("a", 1.2));
    }

    @Test
    void stray_closers_and_colons_are_text() {
        assertThat(PromptAttentionParser.parse("a) b] c:d")).containsExactly(t("a) b] c:d", 1.0));
    }

    @Test
    void a_weight_that_is_not_a_number_is_kept_as_text() {
        // A1111 would fail on float("1.2.3"); we keep the text and close the bracket at the end with 1.1
        assertThat(PromptAttentionParser.parse("(a:1.2.3)")).containsExactly(t("a:1.2.3)", 1.1));
    }

    @Test
    void break_splits_the_prompt() {
        assertThat(PromptAttentionParser.parse("a cat BREAK a dog"))
                .containsExactly(t("a cat", 1.0), PromptFragment.BREAK, t("a dog", 1.0));
        // BREAK must be a whole upper-case word
        assertThat(PromptAttentionParser.parse("BREAKFAST break")).containsExactly(t("BREAKFAST break", 1.0));
    }

    @Test
    void an_empty_prompt_is_one_empty_fragment() {
        assertThat(PromptAttentionParser.parse("")).isEqualTo(List.of(t("", 1.0)));
    }
}
