package io.sweepfarm.worker.lane;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Task topics in tests: sending tasks as the coordinator does, and reading the workers' group's lag. */
final class TaskTopics {

    private TaskTopics() {
    }

    /** Sends the tasks, keyed by image id, to {@code partition} (null: by key). */
    static void send(String bootstrap, List<RenderTask> tasks, Integer partition) throws Exception {
        sendRaw(bootstrap, tasks.stream().map(t -> Map.entry(t, Json.toBytes(t))).toList(), partition);
    }

    /** Sends raw task records (possibly malformed), keyed by the task's image id, to {@code partition}. */
    static void sendRaw(String bootstrap, List<Map.Entry<RenderTask, byte[]>> records, Integer partition)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (var r : records) {
                producer.send(new ProducerRecord<>(Topics.tasks(r.getKey().model()), partition,
                        r.getKey().imageId().toString(), r.getValue())).get();
            }
        }
    }

    /** Records of the model's task topic not yet committed by the workers' group. */
    static long lag(String bootstrap, String model) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            String topic = Topics.tasks(model);
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets("sweepfarm-workers." + model).partitionsToOffsetAndMetadata().get();
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(pi -> latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata c = committed.get(end.getKey());
                lag += end.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    /** Members of the workers' group of the model. */
    static int members(String bootstrap, String model) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            String group = "sweepfarm-workers." + model;
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        }
    }
}
