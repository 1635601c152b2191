package io.sweepfarm.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the running infrastructure listens, and the credentials to use.
 *
 * @param jdbcUrl         PostgreSQL JDBC URL
 * @param dbUser          PostgreSQL user
 * @param dbPassword      PostgreSQL password
 * @param kafkaBootstrap  Kafka bootstrap servers
 * @param s3Endpoint      S3 endpoint URL
 * @param s3AccessKey     S3 access key
 * @param s3SecretKey     S3 secret key
 * @param bucket          the image bucket
 */
public record Endpoints(String jdbcUrl, String dbUser, String dbPassword, String kafkaBootstrap, String s3Endpoint,
        String s3AccessKey, String s3SecretKey, String bucket) {

    /** The configuration properties that point the coordinator and the worker at this infrastructure. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("quarkus.datasource.jdbc.url", jdbcUrl);
        m.put("quarkus.datasource.username", dbUser);
        m.put("quarkus.datasource.password", dbPassword);
        m.put("kafka.bootstrap.servers", kafkaBootstrap);
        m.put("sweepfarm.s3.endpoint", s3Endpoint);
        m.put("sweepfarm.s3.access-key", s3AccessKey);
        m.put("sweepfarm.s3.secret-key", s3SecretKey);
        m.put("sweepfarm.s3.bucket", bucket);
        return m;
    }
}
