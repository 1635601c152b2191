package io.sweepfarm.coordinator.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** AUTOMATIC1111's X/Y/Z-plot syntax (modules/scripts xyz_grid.py: re_range, re_range_float, re_range_count). */
class RangeSyntaxTest {

    @Test
    void listsAndSingleNumbersAreKeptInOrder() {
        assertThat(RangeSyntax.decimals("7, 7.5 ,4")).containsExactly(7.0, 7.5, 4.0);
        assertThat(RangeSyntax.integers("20")).containsExactly(20);
    }

    @Test
    void aPlainRangeCountsByOneBothEndsIncluded() {
        assertThat(RangeSyntax.integers("1-5")).containsExactly(1, 2, 3, 4, 5);
        assertThat(RangeSyntax.integers("5-3")).containsExactly(5, 4, 3);
    }

    @Test
    void aStepRangeStopsAtItsEndWithoutFloatingPointNoise() {
        assertThat(RangeSyntax.decimals("3-12 (+1.5)")).containsExactly(3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 12.0);
        assertThat(RangeSyntax.decimals("0.1-0.3 (+0.1)")).containsExactly(0.1, 0.2, 0.3);
        assertThat(RangeSyntax.integers("1-10 (+2)")).containsExactly(1, 3, 5, 7, 9);
        assertThat(RangeSyntax.integers("10-1 (-3)")).containsExactly(10, 7, 4, 1);
    }

    @Test
    void aCountRangeSpacesValuesEvenlyAndTruncatesIntegersAsA1111Does() {
        assertThat(RangeSyntax.integers("1-10 [5]")).containsExactly(1, 3, 5, 7, 10);
        assertThat(RangeSyntax.decimals("1-2 [3]")).containsExactly(1.0, 1.5, 2.0);
        assertThat(RangeSyntax.decimals("0-1 [4]")).containsExactly(0.0, 0.333333333333, 0.666666666667, 1.0);
    }

    @Test
    void itemsMix() {
        assertThat(RangeSyntax.longs("1-3, 42, 100-300 [3]")).containsExactly(1L, 2L, 3L, 42L, 100L, 200L, 300L);
    }

    @Test
    void aSingleWholeRangeIsRecognisedSoSeedsNeedNotBeListed() {
        assertThat(RangeSyntax.singlePlainRange(" 1000 - 1999 ")).containsExactly(1000, 1999);
        assertThat(RangeSyntax.singlePlainRange("1-5, 8")).isNull();
        assertThat(RangeSyntax.singlePlainRange("1-5 (+2)")).isNull();
        assertThat(RangeSyntax.singlePlainRange("5-1")).isNull();
    }

    @Test
    void anEmptyFieldIsNoValues() {
        assertThat(RangeSyntax.decimals("  ")).isEmpty();
    }

    @Test
    void mistakesNameTheItem() {
        assertThatThrownBy(() -> RangeSyntax.decimals("7, abc")).isInstanceOf(RangeSyntax.Invalid.class)
                .hasMessageContaining("'abc'");
        assertThatThrownBy(() -> RangeSyntax.integers("1-5 (+0.5)")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> RangeSyntax.decimals("1-5 (-1)")).hasMessageContaining("steps away");
        assertThatThrownBy(() -> RangeSyntax.decimals("1-5 (+0)")).hasMessageContaining("step of 0");
        assertThatThrownBy(() -> RangeSyntax.decimals("7,,8")).hasMessageContaining("empty item");
        assertThatThrownBy(() -> RangeSyntax.longs("0-10000000")).hasMessageContaining("more than");
    }
}
