package io.sweepfarm.devstack.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka interceptor that records the client id of every producer and consumer it is configured into: given once as
 * {@code kafka.interceptor.classes}, it shows which of a service's clients received the service's Kafka settings.
 */
public class ClientIdRecorder implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {

    private static final Set<String> CONFIGURED = ConcurrentHashMap.newKeySet();

    /** The client ids seen so far in this JVM ({@code ?} for a client without one). */
    public static Set<String> clientIds() {
        return Set.copyOf(CONFIGURED);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get("client.id");
        CONFIGURED.add(id == null ? "?" : id.toString());
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
