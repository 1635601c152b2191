package io.sweepfarm.coordinator.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepfarm.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.sweepfarm.coordinator.support.Images;

/**
 * The hostile requests, by family: what an attacker or a careless client sends to every endpoint, and what the API
 * must answer (status and the field or parameter the problem names). Paths may hold {@code {sweep}} (a paused sweep),
 * {@code {image}} (one of its images) and bodies {@code {input}} (an uploaded input key), filled in at run time.
 * Among the headers, {@code NO-HOST} leaves out the Host header, {@code NO-AUTH} the API key, and {@code HTTP/1.0}
 * sends the request as HTTP/1.0.
 */
final class HostileCases {

    /** One hostile request and the refusal it must get; {@code field} null where there is nothing to name. */
    record Hostile(String family, String name, String method, String target, List<String> headers, byte[] body,
            int status, String field) {

        @Override
        public String toString() {
            return family + ": " + name;
        }
    }

    static final String JSON = "Content-Type: application/json";

    private final List<Hostile> cases = new ArrayList<>();

    private HostileCases() {
    }

    static List<Hostile> all() {
        HostileCases c = new HostileCases();
        c.sweepTextFields();
        c.sweepNumbers();
        c.unknownFields();
        c.malformedJson();
        c.yaml();
        c.contentTypes();
        c.enormousArrays();
        c.imageFilters();
        c.otherQueries();
        c.paths();
        c.idempotencyKeys();
        c.framework();
        c.keys();
        c.patches();
        c.controls();
        c.uploads();
        return Collections.unmodifiableList(c.cases);
    }

    private void add(String family, String name, String method, String target, List<String> headers, byte[] body,
            int status, String field) {
        cases.add(new Hostile(family, name, method, target, headers, body, status, field));
    }

    private void postSweep(String family, String name, String json, int status, String field) {
        add(family, name, "POST", "/api/v1/sweeps", List.of(JSON), utf8(json), status, field);
    }

    // ---- sweep bodies ------------------------------------------------------------------------------------------

    /** A valid sweep, as a tree to mutate. */
    static ObjectNode baseSweep() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("name", "hostile");
        s.put("model", "hostile-model");
        s.putArray("prompts").add("a red fox");
        s.putArray("cfg_scales").add(7);
        s.putArray("steps").add(20);
        s.putArray("samplers").add("euler_a");
        s.putArray("seeds").add(1);
        s.put("width", 64);
        s.put("height", 64);
        return s;
    }

    private static final String HOLE = "\u0001HOLE\u0001";

    /** The base sweep with the value at {@code path} ({@code a}, {@code a[0]}, {@code a.b}) replaced by raw JSON. */
    static String sweepWith(String path, String rawJson) {
        ObjectNode s = baseSweep();
        if (path.startsWith("prompt_sr")) {
            s.putArray("prompt_sr").add("fox").add("cat");
        }
        if (path.startsWith("strengths") || path.equals("mask") || path.startsWith("init_images")) {
            s.putArray("init_images").add("{input}");
            s.putArray("strengths").add(0.5);
        }
        if (path.startsWith("seeds.")) {
            s.putObject("seeds").put("start", 1).put("count", 2);
        }
        set(s, path);
        return Json.toString(s).replace(Json.toString(HOLE), rawJson);
    }

    private static void set(ObjectNode s, String path) {
        int dot = path.indexOf('.');
        int bracket = path.indexOf('[');
        if (dot > 0) {
            ((ObjectNode) s.get(path.substring(0, dot))).put(path.substring(dot + 1), HOLE);
        } else if (bracket > 0) {
            String name = path.substring(0, bracket);
            int index = Integer.parseInt(path.substring(bracket + 1, path.length() - 1));
            JsonNode existing = s.get(name);
            ArrayNode a = existing instanceof ArrayNode arr ? arr : s.putArray(name);
            while (a.size() <= index) {
                a.add("x");
            }
            a.set(index, Json.MAPPER.getNodeFactory().textNode(HOLE));
        } else {
            s.put(path, HOLE);
        }
    }

    /** A JSON string literal with every control character, C1 character and surrogate escaped as {@code \\uXXXX}. */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c) || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private void sweepTextFields() {
        Map<String, String> hostile = Map.of("NUL", "a\u0000b", "SOH", "\u0001", "ESC sequence", "\u001b[31mred",
                "DEL", "x\u007f", "NEL (C1)", "a\u0085b", "lone high surrogate", "a\ud800b",
                "lone low surrogate", "\udc00", "reversed surrogates", "\udc00\ud800");
        for (String field : List.of("name", "model", "prompts[0]", "negative_prompts[0]", "prompt_sr[1]",
                "samplers[0]", "noise_source", "prompt_overflow", "init_images[0]", "mask")) {
            hostile.forEach((what, value) -> postSweep("text field", field + " with " + what,
                    sweepWith(field, jsonString(value)), 422, field));
        }
    }

    private void sweepNumbers() {
        List<String> doubles = List.of("cfg_scales[0]", "strengths[0]");
        List<String> fields = List.of("cfg_scales[0]", "steps[0]", "seeds[0]", "width", "height", "priority",
                "images_per_combination", "strengths[0]", "seeds.start", "seeds.count");
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("overflowing exponent", "1e400");
        values.put("20-digit integer", "99999999999999999999");
        values.put("negative", "-1");
        values.put("fraction", "1.5");
        values.put("number in a string", "\"5\"");
        values.put("boolean", "true");
        values.put("array", "[]");
        values.put("object", "{}");
        values.put("exponent form", "1e2");
        values.put("negative zero fraction", "-0.0");
        for (String field : fields) {
            boolean dbl = doubles.contains(field);
            values.forEach((what, raw) -> {
                boolean accepted = field.equals("priority") && raw.equals("-1")
                        || field.equals("cfg_scales[0]") && List.of("1.5", "1e2", "-0.0").contains(raw);
                if (accepted) {
                    return;
                }
                postSweep("number field", field + " = " + what + " (" + raw + ")", sweepWith(field, raw), 422,
                        field);
            });
            if (!dbl) {
                postSweep("number field", field + " = NaN token", sweepWith(field, "NaN"), 400, field);
            }
        }
        postSweep("number field", "cfg_scales[0] = Infinity token", sweepWith("cfg_scales[0]", "Infinity"), 400,
                "cfg_scales[0]");
        postSweep("number field", "steps[0] = null", sweepWith("steps[0]", "null"), 422, "steps[0]");
        postSweep("number field", "cfg_scales[0] = null", sweepWith("cfg_scales[0]", "null"), 422, "cfg_scales[0]");
        postSweep("number field", "seeds[0] = null", sweepWith("seeds[0]", "null"), 422, "seeds[0]");
        postSweep("number field", "leading zeros", sweepWith("steps[0]", "020"), 400, "steps[0]");
        // Past the parser's number length: refused before the element is bound, so the field has no index.
        postSweep("number field", "2000-digit number", sweepWith("steps[0]", "9".repeat(2000)), 400, "steps");
    }

    private void unknownFields() {
        for (String name : List.of("negative_prompt", "init_image", "Steps", "cfg_scale", "seed", "sampler", "prompt",
                "__proto__", "model ", "dryRun")) {
            ObjectNode s = baseSweep();
            s.put(name, "x");
            postSweep("unknown field", "'" + name + "'", Json.toString(s), 422, name);
        }
        ObjectNode s = baseSweep();
        s.putObject("seeds").put("start", 1).put("count", 2).put("step", 3);
        postSweep("unknown field", "seeds.step", Json.toString(s), 422, "seeds.step");
        s = baseSweep();
        s.putArray("sizes").addObject().put("width", 64).put("height", 64).put("depth", 3);
        s.remove("width");
        s.remove("height");
        postSweep("unknown field", "sizes[0] as an object with an extra field", Json.toString(s), 422, "sizes[0]");
    }

    private void malformedJson() {
        String ok = Json.toString(baseSweep());
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("trailing garbage", ok + " garbage");
        bodies.put("two objects", ok + ok);
        bodies.put("unterminated", ok.substring(0, ok.length() - 1));
        bodies.put("unquoted key", ok.replace("\"model\"", "model"));
        bodies.put("single quotes", ok.replace("\"hostile-model\"", "'hostile-model'"));
        bodies.put("trailing comma", ok.substring(0, ok.length() - 1) + ",}");
        bodies.put("comment", "/* hi */" + ok);
        bodies.put("raw control character in a string", ok.replace("a red fox", "a red\u0001fox"));
        bodies.put("raw newline in a string", ok.replace("a red fox", "a red\nfox"));
        bodies.put("duplicate key", ok.replace("{\"name\"", "{\"model\":\"other\",\"name\""));
        bodies.put("bare word", "hello");
        bodies.put("NaN literal in an array", ok.replace("\"cfg_scales\":[7]", "\"cfg_scales\":[NaN]"));
        bodies.forEach((what, body) -> postSweep("malformed JSON", what, body, 400, null));
        postSweep("malformed JSON", "empty body", "", 400, "body");
        postSweep("malformed JSON", "null", "null", 400, "body");
        postSweep("malformed JSON", "an array", "[]", 422, "body");
        // Refused at the first nested array, where a prompt's text was expected, before the parser goes deeper.
        postSweep("malformed JSON", "deeply nested", "{\"prompts\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 422,
                "prompts[0]");
        postSweep("malformed JSON", "a string", "\"sweep\"", 422, "body");
        postSweep("malformed JSON", "a number", "42", 422, "body");
        add("malformed JSON", "invalid UTF-8 in a string", "POST", "/api/v1/sweeps", List.of(JSON),
                concat(utf8(ok.substring(0, ok.indexOf("a red fox"))), new byte[] {(byte) 0xc3, 0x28},
                        utf8(ok.substring(ok.indexOf("a red fox")))), 400, null);
        add("malformed JSON", "encoded surrogate (CESU-8) in a string", "POST", "/api/v1/sweeps", List.of(JSON),
                concat(utf8(ok.substring(0, ok.indexOf("a red fox"))), new byte[] {(byte) 0xed, (byte) 0xa0,
                    (byte) 0x80}, utf8(ok.substring(ok.indexOf("a red fox")))), 400, null);
    }

    private void yaml() {
        String base = "model: hostile-model\nprompts: [a red fox]\ncfg_scales: [7]\nsteps: [20]\nsamplers: [euler_a]\n"
                + "seeds: [1]\nwidth: 64\nheight: 64\n";
        Map<String, Object[]> bodies = new java.util.LinkedHashMap<>();
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 9; i++) {
            char p = (char) ('a' + i - 1);
            char n = (char) ('a' + i);
            laughs.append(n).append(": &").append(n).append(" [").append(("*" + p + ",").repeat(8), 0, 8 * 3 - 1)
                    .append("]\n");
        }
        bodies.put("billion laughs (aliases)", new Object[] {laughs + base, 400, null});
        // Tags are refused outright (a 400 before binding): nothing in a sweep needs one.
        bodies.put("Java type tag", new Object[] {base + "name: !!javax.script.ScriptEngineManager [x]\n", 400,
            "body"});
        bodies.put("duplicate key", new Object[] {base + "model: other\n", 400, null});
        bodies.put("second document", new Object[] {base + "---\nmodel: other\n", 400, null});
        bodies.put("tab indentation", new Object[] {"model: hostile-model\nseeds:\n\t- 1\n", 400, null});
        bodies.put("undefined alias", new Object[] {base.replace("prompts: [a red fox]", "prompts: *nothing"), 400,
            null});
        bodies.put("fraction for an integer", new Object[] {base.replace("steps: [20]", "steps: [1.5]"), 422,
            "steps[0]"});
        bodies.put("NUL escape in a string", new Object[] {base.replace("[a red fox]", "[\"a\\0b\"]"), 422,
            "prompts[0]"});
        bodies.put("unknown field", new Object[] {base + "negative_prompt: blurry\n", 422, "negative_prompt"});
        bodies.put("merge key", new Object[] {"x: &x {steps: [1]}\n<<: *x\n" + base, 400, "body"});
        bodies.forEach((what, v) -> add("YAML", what, "POST", "/api/v1/sweeps",
                List.of("Content-Type: application/yaml"), utf8((String) v[0]), (Integer) v[1], (String) v[2]));
    }

    private void contentTypes() {
        String ok = Json.toString(baseSweep());
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/octet-stream", "image/png", "json")) {
            add("content type", "sweep as " + type, "POST", "/api/v1/sweeps", List.of("Content-Type: " + type),
                    utf8(ok), 415, "Content-Type");
        }
        add("content type", "sweep without a content type", "POST", "/api/v1/sweeps", List.of(), utf8(ok), 415,
                "Content-Type");
        String accented = ok.replace("a red fox", "a red fox, caf\u00e9 au lait");
        add("content type", "JSON declared Latin-1, not ASCII", "POST", "/api/v1/sweeps",
                List.of("Content-Type: application/json; charset=iso-8859-1"), utf8(accented), 415, "Content-Type");
        add("content type", "JSON declared in an unknown charset", "POST", "/api/v1/sweeps",
                List.of("Content-Type: application/json; charset=klingon"), utf8(ok), 415, "Content-Type");
        add("content type", "JSON declared and sent as UTF-16", "POST", "/api/v1/sweeps",
                List.of("Content-Type: application/json; charset=utf-16"), ok.getBytes(StandardCharsets.UTF_16), 415,
                "Content-Type");
        add("content type", "YAML declared Latin-1", "POST", "/api/v1/sweeps",
                List.of("Content-Type: application/yaml; charset=latin1"), utf8("name: caf\u00e9\n"), 415,
                "Content-Type");
        add("content type", "patch declared as UTF-16", "PATCH", "/api/v1/sweeps/{sweep}",
                List.of("Content-Type: application/json;charset=\"UTF-16\""), utf8("{\"priority\": 1}"), 415,
                "Content-Type");
        add("content type", "UTF-16 with a byte order mark, undeclared", "POST", "/api/v1/sweeps", List.of(JSON),
                ok.getBytes(StandardCharsets.UTF_16), 400, "body");
        add("content type", "UTF-16LE without a byte order mark", "POST", "/api/v1/sweeps", List.of(JSON),
                ok.getBytes(StandardCharsets.UTF_16LE), 400, "body");
        add("content type", "UTF-32BE, undeclared", "POST", "/api/v1/sweeps", List.of(JSON),
                ok.getBytes(java.nio.charset.Charset.forName("UTF-32BE")), 400, "body");
    }

    private void enormousArrays() {
        ObjectNode s = baseSweep();
        ArrayNode prompts = s.putArray("prompts");
        IntStream.range(0, 10_001).forEach(i -> prompts.add("p"));
        postSweep("enormous array", "10,001 prompts", Json.toString(s), 422, "prompts");
        s = baseSweep();
        ArrayNode seeds = s.putArray("seeds");
        IntStream.range(0, 100_001).forEach(seeds::add);
        postSweep("enormous array", "100,001 listed seeds", Json.toString(s), 422, "seeds");
        s = baseSweep();
        ArrayNode cfg = s.putArray("cfg_scales");
        IntStream.range(0, 10_001).forEach(i -> cfg.add(i % 100));
        postSweep("enormous array", "10,001 CFG scales", Json.toString(s), 422, "cfg_scales");
        s = baseSweep();
        s.putArray("prompts").add("x".repeat(10_001));
        postSweep("enormous array", "a 10,001-character prompt", Json.toString(s), 422, "prompts[0]");
        s = baseSweep();
        s.putObject("seeds").put("start", 0).put("count", 4_000_000_000L);
        s.putArray("steps").add(1).add(2).add(3);
        postSweep("enormous array", "more images than a sweep may hold", Json.toString(s), 422, null);
        s = baseSweep();
        s.putArray("zip").addArray().add("prompts").add("bogus");
        postSweep("enormous array", "zip of an unknown axis", Json.toString(s), 422, "zip[0][1]");
    }

    // ---- query strings -----------------------------------------------------------------------------------------

    private void get(String family, String name, String target, int status, String field) {
        add(family, name, "GET", target, List.of(), null, status, field);
    }

    private void imageFilters() {
        Map<String, String> raw = new java.util.LinkedHashMap<>();
        raw.put("NUL", "a%00b");
        raw.put("SOH", "%01");
        raw.put("ESC", "%1B%5B31m");
        raw.put("DEL", "%7F");
        raw.put("invalid UTF-8", "%C3%28");
        raw.put("encoded surrogate", "%ED%A0%80");
        for (String param : List.of("prompt", "negative_prompt", "model", "sampler", "prompt_contains",
                "negative_prompt_contains", "noise_source", "init_image", "state", "size", "sweep_id", "cursor",
                "limit", "seed")) {
            raw.forEach((what, value) -> get("image filter", param + " with " + what,
                    "/api/v1/images?" + param + "=" + value, 400, param));
        }
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("seed=abc", "seed");
        bad.put("seed=1e999", "seed");
        bad.put("seed=99999999999999999999", "seed");
        bad.put("steps=1.5", "steps");
        bad.put("cfg_scale=NaN", "cfg_scale");
        bad.put("cfg_scale=Infinity", "cfg_scale");
        bad.put("steps_min=x", "steps_min");
        bad.put("seed_max=1.5", "seed_max");
        bad.put("foo=1", "foo");
        bad.put("prompt_min=1", "prompt_min");
        bad.put("seed_contains=1", "seed_contains");
        bad.put("SEED=1", "SEED");
        bad.put("state=bogus", "state");
        bad.put("size=0x", "size");
        bad.put("size=99999999x1", "size");
        bad.put("size=axb", "size");
        bad.put("size=64x64&size=32x32", "size");
        bad.put("sweep_id=zzz", "sweep_id");
        bad.put("sweep_id={sweep}&sweep_id={sweep}", "sweep_id");
        bad.put("cursor=abc", "cursor");
        bad.put("cursor=" + b64("v1:x:y"), "cursor");
        bad.put("cursor=" + b64("v1:00000000-0000-0000-0000-000000000000:x"), "cursor");
        bad.put("cursor=" + b64("v2:00000000-0000-0000-0000-000000000000:1"), "cursor");
        bad.put("limit=0", "limit");
        bad.put("limit=-1", "limit");
        bad.put("limit=1001", "limit");
        bad.put("limit=1.5", "limit");
        bad.put("limit=99999999999", "limit");
        bad.put("sampler=warp_drive", "sampler");
        bad.put("prompt_overflow=SOMETIMES", "prompt_overflow");
        bad.put("width=-1&width=abc", "width");
        bad.put("strength=1e", "strength");
        bad.put("%00=1", "\u0000");
        bad.forEach((query, field) -> get("image filter", query, "/api/v1/images?" + query, 400,
                field.equals("\u0000") ? "?" : field));
    }

    private void otherQueries() {
        String grid = "/api/v1/sweeps/{sweep}/grid";
        get("grid", "no x", grid, 422, "x");
        get("grid", "unknown x", grid + "?x=warp", 422, "x");
        get("grid", "y equal to x", grid + "?x=seed&y=seed", 422, "y");
        get("grid", "x with NUL", grid + "?x=se%00ed", 400, "x");
        get("grid", "filter with NUL", grid + "?x=seed&prompt=%00", 400, "prompt");
        get("grid", "unknown filter", grid + "?x=seed&bogus=1", 400, "bogus");
        get("grid", "another sweep's id", grid + "?x=seed&sweep_id=00000000-0000-0000-0000-000000000000", 400,
                "sweep_id");
        get("grid", "x with invalid UTF-8", grid + "?x=%C3%28", 400, "x");
        String png = "/api/v1/sweeps/{sweep}/grid.png";
        get("grid PNG", "unknown parameter", png + "?foo=1", 400, "foo");
        get("grid PNG", "an axis the sweep does not vary", png + "?x=cfg_scale", 422, "x");
        get("grid PNG", "x twice", png + "?x=seed&x=seed", 400, "x");
        get("grid PNG", "x with NUL", png + "?x=se%00ed", 400, "x");
        String export = "/api/v1/sweeps/{sweep}/export";
        get("export", "unknown format", export + "?format=rar", 400, "format");
        get("export", "format with NUL", export + "?format=zip%00", 400, "format");
        get("export", "unknown filter", export + "?bogus=1", 400, "bogus");
        get("export", "bad seed filter", export + "?seed=x", 400, "seed");
        get("export", "state filter with ESC", export + "?state=%1B", 400, "state");
        get("sweep list", "state bogus", "/api/v1/sweeps?state=bogus", 400, "state");
        get("sweep list", "state twice", "/api/v1/sweeps?state=RUNNING&state=PAUSED", 400, "state");
        get("sweep list", "limit twice", "/api/v1/sweeps?limit=5&limit=500", 400, "limit");
        get("sweep list", "empty limit", "/api/v1/sweeps?limit=", 400, "limit");
        get("sweep list", "limit without '='", "/api/v1/sweeps?limit", 400, "limit");
        get("sweep list", "empty model", "/api/v1/sweeps?model=", 400, "model");
        get("image query", "limit twice", "/api/v1/images?limit=10&limit=20", 400, "limit");
        get("image query", "empty limit", "/api/v1/images?limit=", 400, "limit");
        get("image query", "cursor twice", "/api/v1/images?cursor=a&cursor=b", 400, "cursor");
        get("grid", "x twice", grid + "?x=seed&x=cfg_scale", 400, "x");
        get("grid", "empty y", grid + "?x=seed&y=", 400, "y");
        get("export", "format twice", export + "?format=imagefolder&format=webdataset", 400, "format");
        get("fleet", "model twice", "/api/v1/workers?model=a&model=b", 400, "model");
        get("sweep list", "limit 0", "/api/v1/sweeps?limit=0", 400, "limit");
        get("sweep list", "limit text", "/api/v1/sweeps?limit=ten", 400, "limit");
        get("sweep list", "model with NUL", "/api/v1/sweeps?model=a%00", 400, "model");
        get("sweep list", "model with a lone surrogate", "/api/v1/sweeps?model=%ED%B0%80", 400, "model");
        get("sweep list", "unknown parameter", "/api/v1/sweeps?order=desc", 400, "order");
        get("sweep view", "a query parameter where none is taken", "/api/v1/sweeps/{sweep}?verbose=true", 400,
                "verbose");
        get("image view", "a query parameter where none is taken", "/api/v1/images/{image}?x=1", 400, "x");
        get("png", "a query parameter where none is taken", "/api/v1/images/{image}/png?download=1", 400,
                "download");
        add("upload", "a query parameter where none is taken", "POST", "/api/v1/inputs?name=x",
                List.of("Content-Type: image/png"), new byte[] {1}, 400, "name");
    }

    private static String b64(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(s));
    }

    // ---- paths, headers, framework -----------------------------------------------------------------------------

    private void paths() {
        get("path", "sweep id not a UUID", "/api/v1/sweeps/not-a-uuid", 404, null);
        get("path", "matrix parameter on the sweep list", "/api/v1/sweeps;state=RUNNING", 400, "state");
        get("path", "matrix parameter on a sweep", "/api/v1/sweeps/{sweep};verbose", 400, "verbose");
        add("path", "matrix parameter on a submission", "POST", "/api/v1/sweeps;dry_run=1", List.of(JSON),
                utf8(Json.toString(baseSweep())), 400, "dry_run");
        get("path", "sweep id with NUL", "/api/v1/sweeps/%00", 404, null);
        get("path", "unknown sweep", "/api/v1/sweeps/00000000-0000-7000-8000-000000000000", 404, null);
        get("path", "image id too long", "/api/v1/images/" + "0".repeat(300), 404, null);
        get("path", "png of an image id that is not one", "/api/v1/images/123/png", 404, null);
        get("path", "png of an image not rendered", "/api/v1/images/{image}/png", 404, null);
        get("path", "encoded traversal in an image id", "/api/v1/images/..%2F..%2Fetc%2Fpasswd/png", 404, null);
        get("path", "traversal out of the API", "/api/v1/../../etc/passwd", 404, null);
        get("path", "dot segments", "/api/v1/sweeps/%2e%2e/%2e%2e/q/health", 404, null);
        get("path", "grid of an unknown sweep", "/api/v1/sweeps/00000000-0000-7000-8000-000000000000/grid?x=seed",
                404, null);
        add("path", "pause an unknown sweep", "POST", "/api/v1/sweeps/00000000-0000-7000-8000-000000000000/pause",
                List.of(), null, 404, null);
        add("path", "patch an id that is not a UUID", "PATCH", "/api/v1/sweeps/x", List.of(JSON),
                utf8("{\"priority\": 1}"), 404, null);
    }

    private void idempotencyKeys() {
        String ok = Json.toString(baseSweep());
        List.of("", "a b", "x".repeat(256), "\u00e9t\u00e9", "a\tb").forEach(key -> add("idempotency key",
                "key '" + (key.length() > 20 ? key.length() + " characters" : key) + "'", "POST", "/api/v1/sweeps",
                List.of(JSON, "Idempotency-Key: " + key), utf8(ok), 400, "Idempotency-Key"));
        ObjectNode other = baseSweep();
        other.put("name", "another sweep");
        add("idempotency key", "a used key with another sweep", "POST", "/api/v1/sweeps",
                List.of(JSON, "Idempotency-Key: hostile-suite-key"), utf8(Json.toString(other)), 422,
                "Idempotency-Key");
        add("idempotency key", "the key twice", "POST", "/api/v1/sweeps",
                List.of(JSON, "Idempotency-Key: k1", "Idempotency-Key: k2"), utf8(ok), 400, "Idempotency-Key");
    }

    private void framework() {
        String ok = Json.toString(baseSweep());
        add("framework", "giant header", "GET", "/api/v1/sweeps", List.of("X-Junk: " + "j".repeat(20_000)), null,
                431, "X-Junk");
        add("framework", "many headers", "GET", "/api/v1/sweeps", IntStream.range(0, 600).mapToObj(i -> "X-H" + i
                + ": " + "v".repeat(30)).collect(Collectors.toList()), null, 431, null);
        get("framework", "giant URI", "/api/v1/images?prompt_contains=" + "u".repeat(9000), 414, null);
        add("framework", "Content-Length over the limit", "POST", "/api/v1/sweeps",
                List.of(JSON, "Content-Length: 999999999"), utf8(ok), 413, "body");
        add("framework", "negative Content-Length", "POST", "/api/v1/sweeps", List.of(JSON, "Content-Length: -5"),
                utf8(ok), 400, null);
        add("framework", "PUT on sweeps", "PUT", "/api/v1/sweeps", List.of(JSON), utf8(ok), 405, null);
        add("framework", "DELETE on a sweep", "DELETE", "/api/v1/sweeps/{sweep}", List.of(), null, 405, null);
        add("framework", "POST on images", "POST", "/api/v1/images", List.of(JSON), utf8("{}"), 405, null);
        add("framework", "TRACE", "TRACE", "/api/v1/sweeps", List.of(), null, 405, null);
        add("framework", "XML wanted", "GET", "/api/v1/sweeps/{sweep}", List.of("Accept: application/xml"), null,
                406, null);
        add("framework", "no Host", "GET", "/api/v1/sweeps", List.of("NO-HOST"), null, 400, "Host");
        add("framework", "HTTP/1.0 without Host", "GET", "/api/v1/sweeps", List.of("NO-HOST", "HTTP/1.0"), null,
                400, "Host");
        add("framework", "HTTP/1.0 without Host, with a query", "GET", "/api/v1/images?seed=1",
                List.of("NO-HOST", "HTTP/1.0"), null, 400, "Host");
        add("framework", "HTTP/1.0 POST without Host", "POST", "/api/v1/sweeps", List.of(JSON, "NO-HOST",
                "HTTP/1.0"), utf8(ok), 400, "Host");
        add("framework", "gzip-encoded sweep", "POST", "/api/v1/sweeps", List.of(JSON, "Content-Encoding: gzip"),
                gzip(utf8(ok)), 415, "Content-Encoding");
        add("framework", "deflate-encoded upload", "POST", "/api/v1/inputs", List.of("Content-Type: image/png",
                "Content-Encoding: deflate"), Images.png(8, 8), 415, "Content-Encoding");
    }

    private void keys() {
        String ok = Json.toString(baseSweep());
        List<String[]> bad = List.of(new String[] {"no key", null}, new String[] {"wrong key", "Bearer sf_wrong"},
            new String[] {"Basic scheme", "Basic c2Y6d3Jvbmc="}, new String[] {"empty bearer", "Bearer "},
            new String[] {"two tokens", "Bearer sf_a sf_b"}, new String[] {"10,000-character key", "Bearer sf_"
                + "k".repeat(10_000)}, new String[] {"key with NUL", "Bearer sf_%00"});
        for (String[] b : bad) {
            List<String> headers = new ArrayList<>(List.of(JSON, "NO-AUTH"));
            if (b[1] != null) {
                headers.add("Authorization: " + b[1]);
            }
            add("API key", b[0], "POST", "/api/v1/sweeps", headers, utf8(ok), 401, "Authorization");
        }
        add("API key", "two Authorization headers", "POST", "/api/v1/sweeps", List.of(JSON, "NO-AUTH",
                "Authorization: Bearer sf_x", "Authorization: Bearer sf_y"), utf8(ok), 400, "Authorization");
        add("API key", "session cookie with a wrong key", "POST", "/api/v1/sweeps", List.of(JSON, "NO-AUTH",
                "Cookie: sweepfarm_key=sf_wrong"), utf8(ok), 401, "Authorization");
        add("API key", "upload without a key", "POST", "/api/v1/inputs", List.of("Content-Type: image/png",
                "NO-AUTH"), new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 401, "Authorization");
        add("API key", "login with a wrong key", "POST", "/api/v1/session", List.of(JSON, "NO-AUTH"),
                utf8("{\"api_key\": \"sf_wrong\"}"), 401, "api_key");
        add("API key", "login with a number", "POST", "/api/v1/session", List.of(JSON, "NO-AUTH"),
                utf8("{\"api_key\": 5}"), 400, "body");
    }

    private void patches() {
        String path = "/api/v1/sweeps/{sweep}";
        Map<String, Object[]> bodies = new java.util.LinkedHashMap<>();
        bodies.put("priority in a string", new Object[] {"{\"priority\": \"5\"}", 422, "priority"});
        bodies.put("fractional priority", new Object[] {"{\"priority\": 1.5}", 422, "priority"});
        bodies.put("priority beyond int", new Object[] {"{\"priority\": 1e20}", 422, "priority"});
        bodies.put("priority 2^31", new Object[] {"{\"priority\": 2147483648}", 422, "priority"});
        bodies.put("empty object", new Object[] {"{}", 422, "priority"});
        bodies.put("null priority", new Object[] {"{\"priority\": null}", 422, "priority"});
        bodies.put("state change", new Object[] {"{\"state\": \"RUNNING\"}", 422, "state"});
        bodies.put("array", new Object[] {"[]", 422, "body"});
        bodies.put("trailing garbage", new Object[] {"{\"priority\": 1} x", 400, null});
        bodies.put("duplicate priority", new Object[] {"{\"priority\": 1, \"priority\": 2}", 400, null});
        bodies.forEach((what, v) -> add("patch", what, "PATCH", path, List.of(JSON), utf8((String) v[0]),
                (Integer) v[1], (String) v[2]));
        add("patch", "as text/plain", "PATCH", path, List.of("Content-Type: text/plain"), utf8("{\"priority\": 1}"),
                415, "Content-Type");
        add("patch", "without a content type", "PATCH", path, List.of(), utf8("{\"priority\": 1}"), 415,
                "Content-Type");
    }

    private void controls() {
        add("control", "pause a paused sweep", "POST", "/api/v1/sweeps/{sweep}/pause", List.of(), null, 409, null);
        add("control", "unknown action", "POST", "/api/v1/sweeps/{sweep}/explode", List.of(), null, 404, null);
        add("control", "pause with a query parameter", "POST", "/api/v1/sweeps/{sweep}/pause?now=1", List.of(),
                null, 400, "now");
        add("control", "resume with a JSON body", "POST", "/api/v1/sweeps/{sweep}/resume", List.of(JSON),
                utf8("{\"now\": true}"), 400, "body");
        add("control", "cancel with a chunked body", "POST", "/api/v1/sweeps/{sweep}/cancel",
                List.of("Transfer-Encoding: chunked"), utf8("5\r\nhello\r\n0\r\n\r\n"), 400, "body");
        add("control", "image query with its filters as a JSON body", "GET", "/api/v1/images", List.of(JSON),
                utf8("{\"seed\": 1}"), 400, "body");
        add("control", "retry-failed with a body", "POST", "/api/v1/sweeps/{sweep}/retry-failed",
                List.of("Content-Type: text/plain"), utf8("all"), 400, "body");
    }

    private void uploads() {
        List<String> png = List.of("Content-Type: image/png");
        add("upload", "empty", "POST", "/api/v1/inputs", png, new byte[0], 422, "body");
        add("upload", "text", "POST", "/api/v1/inputs", png, utf8("not an image at all"), 422, "body");
        add("upload", "truncated PNG", "POST", "/api/v1/inputs", png, java.util.Arrays.copyOf(Images.png(8, 8), 40),
                422, "body");
        add("upload", "JPEG declaring 20000x20000", "POST", "/api/v1/inputs", List.of("Content-Type: image/jpeg"),
                Images.jpegDeclaring(20_000, 20_000), 422, "body");
        add("upload", "PNG declaring 100000x1", "POST", "/api/v1/inputs", png, Images.pngDeclaring(100_000, 1), 422,
                "body");
        add("upload", "PNG declaring 8193x8193", "POST", "/api/v1/inputs", png, Images.pngDeclaring(8193, 8193), 422,
                "body");
        add("upload", "GIF declaring 65535x65535", "POST", "/api/v1/inputs", List.of("Content-Type: image/gif"),
                Images.gifDeclaring(65535, 65535), 422, "body");
        add("upload", "BMP declaring 30000x30000", "POST", "/api/v1/inputs", List.of("Content-Type: image/bmp"),
                Images.bmpDeclaring(30_000, 30_000), 422, "body");
        add("upload", "TIFF", "POST", "/api/v1/inputs", List.of("Content-Type: image/tiff"), Images.tiff(), 422,
                "body");
        add("upload", "SVG", "POST", "/api/v1/inputs", List.of("Content-Type: image/svg+xml"),
                utf8("<svg xmlns='http://www.w3.org/2000/svg' width='99999' height='99999'/>"), 422, "body");
        add("upload", "sent as JSON", "POST", "/api/v1/inputs", List.of(JSON), Images.png(8, 8), 415,
                "Content-Type");
        add("upload", "sent as text", "POST", "/api/v1/inputs", List.of("Content-Type: text/plain"),
                Images.png(8, 8), 415, "Content-Type");
        add("upload", "body over the limit", "POST", "/api/v1/inputs", List.of("Content-Type: image/png",
                "Content-Length: " + (1024 * 1024 + 1)), new byte[64], 413, "body");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
