package io.sweepfarm.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import io.sweepfarm.devstack.modelgen.ExternalData;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyLora;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading LoRA files and patching the weights they target, on the tiny model's export layout. */
class LoraPatcherTest {

    @TempDir
    Path dir;

    @Test
    void bothKeyStylesReadAsTheSameModulesWithAlphaDefaultingToTheRank() throws IOException {
        Options o = Options.defaults();
        LoraFile kohya = LoraFile.read("k", TinyLora.write(dir.resolve("k.safetensors"), o, TinyLora.Style.KOHYA, 4, 1,
                2f));
        LoraFile peft = LoraFile.read("p", TinyLora.write(dir.resolve("p.safetensors"), o, TinyLora.Style.PEFT, 4, 1,
                2f));
        assertThat(kohya.modules()).hasSize(7).hasSameSizeAs(peft.modules());
        LoraFile.Module k = kohya.modules().get(0);
        LoraFile.Module p = peft.modules().get(0);
        assertThat(k.kohya()).isTrue();
        assertThat(k.path()).isEqualTo("down_blocks_0_attentions_0_attn2_to_q");
        assertThat(p.path()).isEqualTo("down_blocks.0.attentions.0.attn2.to_q");
        assertThat(k.alpha()).isEqualTo(2f);
        assertThat(p.alpha()).isEqualTo(4f);
        assertThat(k.down().values()).containsExactly(p.down().values());
        assertThat(kohya.modules()).extracting(LoraFile.Module::target).contains(LoraFile.Target.UNET,
                LoraFile.Target.TEXT_ENCODER);
    }

    @ParameterizedTest
    @EnumSource(value = ExternalData.class, names = {"NONE", "MODEL_ONNX_DATA"})
    void aPatchedWeightIsTheBasePlusScaledUpTimesDownInTheWeightsOwnLayout(ExternalData external) throws IOException {
        Options o = Options.builder().externalData(external).build();
        TinyStableDiffusion.generate(dir, o);
        LoraFile lora = LoraFile.read("k", TinyLora.write(dir.resolve("k.safetensors"), o, TinyLora.Style.KOHYA, 4, 1,
                2f));
        Path unet = dir.resolve("unet/model.onnx");
        OnnxWeights weights = OnnxWeights.index(unet, "unet/model.onnx");
        Map<String, OnnxTensor> patched = LoraPatcher.patch(unet, "unet/model.onnx", LoraFile.Target.UNET,
                List.of(new LoraPatcher.Applied(lora, 0.7)));
        try {
            assertThat(patched).hasSize(5);
            float s = 0.7f * 2f / 4f;
            for (LoraFile.Module m : lora.modules().subList(0, 5)) {
                OnnxWeights.Weight w = weights.find(m);
                float[] base = weights.read(w);
                float[] got = patched.get(w.initializer()).getFloatBuffer().array();
                int out = m.up().dim(0);
                int inner = m.down().values().length / 4;
                for (int oi = 0; oi < out; oi += 3) {
                    for (int j = 0; j < inner; j += 5) {
                        double delta = 0;
                        for (int r = 0; r < 4; r++) {
                            delta += m.up().values()[oi * 4 + r] * m.down().values()[r * inner + j];
                        }
                        int at = w.layout() == OnnxWeights.Layout.TORCH ? oi * inner + j : j * out + oi;
                        assertThat(got[at]).as("%s [%d, %d]", m.key(), oi, j).isCloseTo(
                                (float) (base[at] + s * delta), within(1e-5f));
                    }
                }
            }
            // a MatMul weight lost its name: found through the node; the conv kept its own
            assertThat(weights.find(lora.modules().get(0)).layout()).isEqualTo(OnnxWeights.Layout.TRANSPOSED);
            assertThat(weights.find(lora.modules().get(0)).initializer()).startsWith("onnx::MatMul_");
            assertThat(weights.find(lora.modules().get(4)).initializer())
                    .isEqualTo("down_blocks.0.resnets.0.conv1.weight");
        } finally {
            patched.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void aModelNoModuleTargetsIsNotTouched() throws IOException {
        Options o = Options.defaults();
        TinyStableDiffusion.generate(dir, o);
        LoraFile lora = LoraFile.read("k", TinyLora.write(dir.resolve("k.safetensors"), o, TinyLora.Style.KOHYA, 4, 1,
                4f));
        assertThat(LoraPatcher.patch(dir.resolve("vae_decoder/model.onnx"), "vae_decoder/model.onnx",
                LoraFile.Target.TEXT_ENCODER_2, List.of(new LoraPatcher.Applied(lora, 1)))).isEmpty();
    }

    @Test
    void aKeyWithoutAWeightOfThatNameFailsNamingTheKeyAndTheFile() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        LoraFile foreign = LoraFile.read("old", TinyLora.writeForeign(dir.resolve("f.safetensors"),
                TinyLora.Style.KOHYA));
        assertThatThrownBy(() -> LoraPatcher.patch(dir.resolve("unet/model.onnx"), "unet/model.onnx",
                LoraFile.Target.UNET, List.of(new LoraPatcher.Applied(foreign, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LoRA 'old'")
                .hasMessageContaining("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_q")
                .hasMessageContaining("unet/model.onnx").hasMessageContaining("lost the module names");
    }

    @Test
    void halfAndBfloatTensorsReadAsFloats() throws IOException {
        // F16 0x3C00 = 1, 0xC000 = -2; BF16 0x3F80 = 1, 0x4049 = 3.140625 (IEEE 754 binary16 and bfloat16)
        String header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("h.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00)
                    .putShort((short) 0xC000).putShort((short) 0x3F80).putShort((short) 0x4049).array());
        }
        Map<String, SafeTensors.Tensor> t = SafeTensors.read(file);
        assertThat(t.get("a").values()).containsExactly(1f, -2f);
        assertThat(t.get("b").values()).containsExactly(1f, 3.140625f);
        Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("bad.safetensors")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.safetensors");
    }
}
