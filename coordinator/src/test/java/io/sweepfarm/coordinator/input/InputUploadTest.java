package io.sweepfarm.coordinator.input;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.InputView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.coordinator.support.Images;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class InputUploadTest {

    private static BufferedImage picture(Color color) {
        BufferedImage img = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(4, 4, 20, 10);
        g.dispose();
        return img;
    }

    private static InputView upload(byte[] bytes, String contentType) {
        String body = given().contentType(contentType).body(bytes).when().post("/api/v1/inputs")
                .then().statusCode(201).extract().asString();
        return Json.fromString(body, InputView.class);
    }

    @Test
    void anUploadedPngIsStoredUnderItsContentAddressAndTheSameBytesGiveTheSameKey() {
        byte[] png = PngText.write(picture(Color.RED), Map.of());
        InputView first = upload(png, "image/png");
        assertThat(first.key()).isEqualTo("inputs/" + first.sha256() + ".png");
        assertThat(first.width()).isEqualTo(40);
        assertThat(first.height()).isEqualTo(24);
        assertThat(upload(png, "image/png")).isEqualTo(first);
        assertThat(upload(PngText.write(picture(Color.BLUE), Map.of()), "image/png").key()).isNotEqualTo(first.key());
    }

    @Test
    void aJpegIsConvertedToPngAndAnUploadedKeyIsAcceptedAsAnInitImageAndMask() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture(Color.GREEN), "jpg", jpeg);
        InputView view = upload(jpeg.toByteArray(), "image/jpeg");
        assertThat(view.key()).matches("inputs/[0-9a-f]{64}\\.png");

        String sweep = Json.toString(aSweep().withInitImages(view.key()).withStrengths(0.5, 0.75).withMask(view.key())
                .build());
        given().contentType("application/json").body(sweep).when().post("/api/v1/sweeps")
                .then().statusCode(201).body("image_count", equalTo(2));
    }

    @Test
    void aSmallFileDeclaringHugeDimensionsIsRefusedFromItsHeaderWithoutDecoding() throws Exception {
        byte[] bomb = Images.jpegDeclaring(20000, 20000);
        assertThat(bomb.length).isLessThan(1000);
        given().contentType("image/jpeg").body(bomb).when().post("/api/v1/inputs")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("field", equalTo("body")).body("detail", containsString("20000x20000"));
        given().contentType("image/png").body(Images.pngDeclaring(100_000, 1)).when().post("/api/v1/inputs")
                .then().statusCode(422).body("detail", containsString("100000x1"));
    }

    @Test
    void onlyPngJpegBmpAndGifAreAccepted() throws Exception {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        ImageIO.write(picture(Color.GRAY), "tiff", tiff);
        given().contentType("image/tiff").body(tiff.toByteArray()).when().post("/api/v1/inputs")
                .then().statusCode(422).body("field", equalTo("body")).body("detail", containsString("TIF"));
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        ImageIO.write(picture(Color.GRAY), "gif", gif);
        assertThat(upload(gif.toByteArray(), "image/gif").width()).isEqualTo(40);
    }

    @Test
    void aBodyThatIsNotSentAsAnImageIsA415() {
        given().contentType("application/json").body(PngText.write(picture(Color.RED), Map.of()))
                .when().post("/api/v1/inputs")
                .then().statusCode(415).contentType(startsWith("application/problem+json"))
                .body("field", equalTo("Content-Type"));
    }

    @Test
    void somethingThatIsNotAnImageIsRefusedNamingTheBody() {
        given().contentType("application/octet-stream").body("not an image".getBytes()).when().post("/api/v1/inputs")
                .then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("field", equalTo("body"));
        given().contentType("image/png").body(new byte[0]).when().post("/api/v1/inputs")
                .then().statusCode(422).body("field", equalTo("body"));
    }
}
