package io.sweepfarm.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    /** Kafka refuses a topic whose name equals an existing one after '.' → '_' (they share metric names). */
    private static String kafkaCollisionKey(String topic) {
        return topic.replace('.', '_');
    }

    @Test
    void modelsThatDifferOnlyByDotOrUnderscoreGetTopicsKafkaAccepts() {
        String dotted = Topics.tasks("hx.collide");
        String underscored = Topics.tasks("hx_collide");
        assertThat(dotted).isEqualTo(Topics.TASKS_PREFIX + "hx.collide");
        assertThat(underscored).isEqualTo(Topics.TASKS_PREFIX + "hx-ucollide");
        assertThat(kafkaCollisionKey(dotted)).isNotEqualTo(kafkaCollisionKey(underscored));
    }

    @Test
    void plainModelNamesKeepTheirTopic() {
        assertThat(Topics.tasks("sd15")).isEqualTo(Topics.TASKS_PREFIX + "sd15");
        assertThat(Topics.tasks("sd1.5")).isEqualTo(Topics.TASKS_PREFIX + "sd1.5");
        assertThat(Topics.tasks("SD15")).isEqualTo(Topics.tasks("sd15"));
    }

    @Test
    void theEncodingIsInjectiveEvenUnderKafkasDotUnderscoreFoldingForEveryShortName() {
        char[] alphabet = {'a', 'u', '.', '_', '-'};
        Map<String, String> modelByKey = new HashMap<>();
        List<String> models = allNames(alphabet, 5);
        for (String model : models) {
            String topic = Topics.tasks(model);
            assertThat(topic).matches("[a-zA-Z0-9._-]{1,249}").doesNotContain("_");
            String previous = modelByKey.put(kafkaCollisionKey(topic), model);
            assertThat(previous).as("models %s and %s share a topic", previous, model).isNull();
        }
        assertThat(modelByKey.size()).isEqualTo(models.size()).isEqualTo(2 * (1 + 5 + 25 + 125 + 625));
    }

    @Test
    void theLongestModelNameStillGivesALegalTopic() {
        String longest = "a" + "_".repeat(99);
        assertThat(Topics.MODEL_NAME.matcher(longest).matches()).isTrue();
        assertThat(Topics.tasks(longest)).hasSizeLessThanOrEqualTo(249);
        assertThat(Topics.MODEL_NAME.matcher("a".repeat(101)).matches()).isFalse();
    }

    @Test
    void aNameThatCannotBeATopicIsRefusedWithTheRule() {
        assertThatThrownBy(() -> Topics.tasks("My Model/v1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-100 characters");
        assertThatThrownBy(() -> Topics.tasks("_leading")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every valid model name (first character a letter or digit) up to {@code maxLength} over {@code alphabet}. */
    private static List<String> allNames(char[] alphabet, int maxLength) {
        List<String> out = new ArrayList<>();
        List<String> level = List.of("a", "1");
        for (int length = 1; length <= maxLength; length++) {
            out.addAll(level);
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (char c : alphabet) {
                    next.add(prefix + c);
                }
            }
            level = next;
        }
        return out;
    }
}
