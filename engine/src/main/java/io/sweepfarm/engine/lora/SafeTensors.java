package io.sweepfarm.engine.lora;

import ai.onnxruntime.platform.Fp16Conversions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file (huggingface/safetensors format: an 8-byte little-endian header length, a JSON
 * header naming each tensor's {@code dtype}, {@code shape} and {@code data_offsets} into the data that follows,
 * little-endian, row-major) into float32 arrays. Float types only: F32, F16 and BF16. Stateless.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** A tensor read as float32. */
    public record Tensor(long[] shape, float[] values) {

        /** Elements along {@code axis}. */
        public int dim(int axis) {
            return (int) shape[axis];
        }
    }

    /** Every tensor of the file by name, in header order; fails naming the file when it is not a safetensors file. */
    public static Map<String, Tensor> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (map.remaining() < 8) {
                throw bad(file, "shorter than its header length");
            }
            long headerLength = map.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > map.remaining()) {
                throw bad(file, "header length " + headerLength + " does not fit the file");
            }
            byte[] header = new byte[(int) headerLength];
            map.get(8, header);
            JsonNode root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), map, dataStart));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Tensor tensor(Path file, String name, JsonNode info, ByteBuffer map, long dataStart) {
        String dtype = info.path("dtype").asText();
        JsonNode shapeNode = info.path("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count *= shape[i];
        }
        long begin = dataStart + info.path("data_offsets").path(0).asLong();
        long end = dataStart + info.path("data_offsets").path(1).asLong();
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw bad(file, "tensor '" + name + "' has dtype " + dtype + "; LoRAs need F32, F16 or BF16");
        };
        if (end - begin != count * width || end > map.limit() || count > Integer.MAX_VALUE) {
            throw bad(file, "tensor '" + name + "' has " + (end - begin) + " bytes for shape "
                    + java.util.Arrays.toString(shape) + " of " + dtype);
        }
        float[] values = new float[(int) count];
        int at = (int) begin;
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dtype) {
                case "F32" -> map.getFloat(at + 4 * i);
                case "F16" -> Fp16Conversions.fp16ToFloat(map.getShort(at + 2 * i));
                default -> Fp16Conversions.bf16ToFloat(map.getShort(at + 2 * i));
            };
        }
        return new Tensor(shape, values);
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + " is not a usable safetensors file: " + what);
    }
}
