package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void controlCharactersAreEscapedSoNoLogLineCanBeForged() {
        assertThat(LogText.safe("a\nERROR forged\r\u0000\tb")).isEqualTo("a\\nERROR forged\\r\\u0000\\tb");
    }

    @Test
    void longTextIsCutWithAnEllipsisWithoutSplittingASurrogatePair() {
        String text = "x".repeat(LogText.MAX - 2) + "\uD83E\uDD8A\uD83E\uDD8A";
        String safe = LogText.safe(text);
        assertThat(safe).hasSizeLessThanOrEqualTo(LogText.MAX).endsWith("\u2026");
        assertThat(Character.isHighSurrogate(safe.charAt(safe.length() - 2))).isFalse();
        assertThat(LogText.safe("fox \uD83E\uDD8A")).isEqualTo("fox \uD83E\uDD8A");
        assertThat(LogText.safe("lone \uD800 surrogate")).isEqualTo("lone \uFFFD surrogate");
        assertThat(LogText.safe(null)).isEmpty();
    }
}
