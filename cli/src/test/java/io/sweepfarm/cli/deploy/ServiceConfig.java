package io.sweepfarm.cli.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration a Quarkus service reads, taken from its sources: the keys and {@code ${ENV}} references of its
 * {@code application.properties}, its {@code @ConfigMapping} interfaces and {@code @ConfigProperty} names, in its
 * module and the project modules it depends on. {@link #reads} answers whether an environment variable reaches it,
 * by SmallRye Config's rule (a property's name with every character but letters and digits as '_', upper-cased).
 */
final class ServiceConfig {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern MEMBER = Pattern.compile("^\\s+([\\w<>, ?.\\[\\]]+?)\\s+(\\w+)\\(\\)\\s*;\\s*$");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern SCALAR = Pattern.compile("(Optional<)?(String|int|long|double|float|boolean|short"
            + "|Integer|Long|Double|Boolean|Short|Duration|Path|URI|OptionalInt|OptionalLong|List<[\\w.]+>)>?");
    /** Variables the JVM itself reads. */
    private static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private final String module;
    private final Properties applicationProperties = new Properties();
    private final Set<String> envReferences = new LinkedHashSet<>();
    private final Set<String> properties = new LinkedHashSet<>();
    private final Set<String> groupPrefixes = new LinkedHashSet<>();
    private final String pom;

    private ServiceConfig(String module, String pom, List<Path> sourceRoots, Path applicationPropertiesFile) {
        this.module = module;
        this.pom = pom;
        String text = Project.read(applicationPropertiesFile);
        try {
            applicationProperties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : applicationProperties.stringPropertyNames()) {
            properties.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        Matcher env = ENV_REF.matcher(text);
        while (env.find()) {
            envReferences.add(env.group(1));
        }
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(this::scan);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The service built by the project module in folder {@code module} (e.g. {@code gpu-worker}). */
    static ServiceConfig of(String module) {
        Path root = Project.root();
        String pom = Project.read(root.resolve(module).resolve("pom.xml"));
        List<Path> sources = new ArrayList<>();
        sources.add(root.resolve(module).resolve("src/main/java"));
        for (String sibling : siblingModules(root)) {
            String artifact = artifactId(Project.read(root.resolve(sibling).resolve("pom.xml")));
            if (!sibling.equals(module) && pom.contains("<artifactId>" + artifact + "</artifactId>")) {
                sources.add(root.resolve(sibling).resolve("src/main/java"));
            }
        }
        return new ServiceConfig(module, pom, sources.stream().filter(Files::isDirectory).toList(),
                root.resolve(module).resolve("src/main/resources/application.properties"));
    }

    private static List<String> siblingModules(Path root) {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Project.read(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    private static String artifactId(String pom) {
        String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(withoutParent);
        return m.find() ? m.group(1) : "";
    }

    private void scan(Path file) {
        String text = Project.read(file);
        Matcher property = PROPERTY.matcher(text);
        while (property.find()) {
            properties.add(property.group(1));
        }
        Matcher mapping = MAPPING.matcher(text);
        if (!mapping.find()) {
            return;
        }
        String prefix = mapping.group(1);
        String withName = null;
        for (String line : text.substring(mapping.end()).split("\n")) {
            Matcher name = WITH_NAME.matcher(line);
            if (name.find()) {
                withName = name.group(1);
            }
            Matcher member = MEMBER.matcher(line);
            if (member.matches()) {
                String key = prefix + "." + (withName != null ? withName : kebab(member.group(2)));
                properties.add(key);
                if (!SCALAR.matcher(member.group(1).replace(" ", "")).matches()) {
                    groupPrefixes.add(key); // a map or a nested group: anything below it
                }
                withName = null;
            }
        }
    }

    private static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** SmallRye Config's environment form of a property name. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Whether environment variable {@code name} sets something this service reads. */
    boolean reads(String name) {
        if (envReferences.contains(name) || JVM.contains(name)) {
            return true;
        }
        for (String p : properties) {
            if (envName(p).equals(name)) {
                return true;
            }
        }
        for (String p : groupPrefixes) {
            if (name.startsWith(envName(p) + "_")) {
                return true;
            }
        }
        // Quarkus passes every kafka.* setting (KAFKA_* in the environment) to its Kafka clients.
        return dependsOn("quarkus-kafka-client", "quarkus-messaging-kafka") && name.startsWith("KAFKA_") && kafkaClientSettings()
                .contains(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'));
    }

    private boolean dependsOn(String... artifacts) {
        return Stream.of(artifacts).anyMatch(a -> pom.contains("<artifactId>" + a + "</artifactId>"));
    }

    private static Set<String> kafkaClientSettings() {
        Set<String> all = new HashSet<>(ProducerConfig.configNames());
        all.addAll(ConsumerConfig.configNames());
        all.addAll(AdminClientConfig.configNames());
        return all;
    }

    /** The HTTP port the service listens on ({@code quarkus.http.port}, else Quarkus' 8080). */
    int httpPort() {
        return Integer.parseInt(applicationProperties.getProperty("quarkus.http.port", "8080"));
    }

    /** The health endpoints Quarkus serves (SmallRye Health under the default root unless moved). */
    Set<String> healthPaths() {
        if (!dependsOn("quarkus-smallrye-health")) {
            return Set.of();
        }
        if (properties.contains("quarkus.smallrye-health.root-path")
                || properties.contains("quarkus.http.non-application-root-path")) {
            throw new AssertionError(module + " moves the health endpoints: teach this check the new root");
        }
        return Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    }

    /** Whether the module's sources contain {@code literal} (to check names deployment files rely on). */
    static boolean sourcesContain(String module, String literal) {
        try (Stream<Path> files = Files.walk(Project.root().resolve(module).resolve("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> Project.read(f).contains(literal));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return module;
    }
}
