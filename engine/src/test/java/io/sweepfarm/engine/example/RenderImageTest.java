package io.sweepfarm.engine.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderImageTest {

    @TempDir
    Path dir;

    @Test
    void theExampleRendersOnePngFromAModelFolder() throws Exception {
        Path model = TinyStableDiffusion.generate(dir.resolve("model"), Options.defaults());
        Path png = dir.resolve("out/fox.png");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RenderImage.run(new String[] {model.toString(), png.toString(), "--prompt", "a red fox",
                "--steps", "4", "--size", "64x48", "--sampler", "dpmpp_2m", "--seed", "7"},
                new PrintStream(out), System.err);
        assertThat(code).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
        int[] rgb = image.getRGB(0, 0, 64, 48, null, 0, 64);
        assertThat(Arrays.stream(rgb).distinct().count()).isGreaterThan(50);
        assertThat(out.toString()).contains("wrote").contains("dpmpp_2m");
    }

    @Test
    void badArgumentsExitWithUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(RenderImage.run(new String[] {"only-one"}, System.out, new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("usage");
        assertThat(RenderImage.run(new String[] {"m", "o.png", "--sampler", "nope"}, System.out,
                new PrintStream(err))).isEqualTo(2);
    }
}
