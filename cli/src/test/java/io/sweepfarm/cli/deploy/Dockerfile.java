package io.sweepfarm.cli.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a Dockerfile the checks read: its stages, each with its base, ENV, EXPOSE, USER and COPY sources. */
record Dockerfile(Path file, List<Stage> stages) {

    record Stage(String name, String base, Map<String, String> env, List<Integer> exposed, String user,
            List<String> copied, String entrypoint) {
    }

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S*)");

    static Dockerfile read(String relative) {
        Path file = Project.root().resolve(relative);
        List<Stage> stages = new ArrayList<>();
        String name = null;
        String base = null;
        Map<String, String> env = new LinkedHashMap<>();
        List<Integer> exposed = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        String user = null;
        String entrypoint = null;
        for (String raw : Project.read(file).replace("\\\n", " ").split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher from = FROM.matcher(line);
            if (from.find()) {
                if (base != null) {
                    stages.add(new Stage(name, base, env, exposed, user, copied, entrypoint));
                }
                base = from.group(1);
                name = from.group(2);
                env = new LinkedHashMap<>();
                exposed = new ArrayList<>();
                copied = new ArrayList<>();
                user = null;
                entrypoint = null;
                continue;
            }
            String[] words = line.split("\\s+");
            String instruction = words[0].toUpperCase(java.util.Locale.ROOT);
            switch (instruction) {
                case "ENV" -> {
                    Matcher pair = ENV_PAIR.matcher(line.substring(3));
                    while (pair.find()) {
                        env.put(pair.group(1), pair.group(2));
                    }
                }
                case "EXPOSE" -> {
                    for (int i = 1; i < words.length; i++) {
                        exposed.add(Integer.parseInt(words[i].replace("/tcp", "")));
                    }
                }
                case "USER" -> user = words[1];
                case "ENTRYPOINT" -> entrypoint = line.substring("ENTRYPOINT".length()).strip();
                case "COPY" -> {
                    List<String> args = new ArrayList<>();
                    for (int i = 1; i < words.length; i++) {
                        if (!words[i].startsWith("--")) {
                            args.add(words[i]);
                        } else if (words[i].startsWith("--from")) {
                            args.clear();
                            break;
                        }
                    }
                    if (args.size() >= 2) {
                        copied.addAll(args.subList(0, args.size() - 1));
                    }
                }
                default -> {
                }
            }
        }
        if (base != null) {
            stages.add(new Stage(name, base, env, exposed, user, copied, entrypoint));
        }
        return new Dockerfile(file, stages);
    }

    /** The stage {@code docker build} builds without {@code --target}. */
    Stage last() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no stage " + name));
    }

    /** The project module whose Quarkus build the image copies, from its COPY sources. */
    static String module(Stage stage) {
        return stage.copied().stream().filter(c -> c.contains("/target/quarkus-app/"))
                .map(c -> c.substring(0, c.indexOf("/target/quarkus-app/"))).distinct().reduce((a, b) -> {
                    throw new AssertionError("a stage copies two services: " + a + ", " + b);
                }).orElseThrow(() -> new AssertionError("stage " + stage.name() + " copies no Quarkus build"));
    }
}
