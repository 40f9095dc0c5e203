package art.atelier.image.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import art.atelier.UsageException;
import art.atelier.util.Json;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

class GanConfigTest {

    /** The config of an atelier model as cards recorded it before the discriminator's normalisation was a field. */
    private static final String OLD_ATELIER = "{\"family\":\"atelier\",\"size\":64,\"channels\":3,\"latent\":100,"
            + "\"generator_width\":64,\"discriminator_width\":64,\"max_width\":512,\"styles\":0,"
            + "\"augment\":[\"color\",\"translation\",\"cutout\"],\"augment_target\":0.6,\"ema_half_life\":10000}";

    @Test
    void oldCardsReadAsTheRecipeOfTheirTime() {
        GanConfig atelier = Json.from(JsonParser.parseString(OLD_ATELIER), GanConfig.class);
        assertThat(atelier.discriminatorNorm()).isEqualTo(GanConfig.SPECTRAL);
        assertThat(atelier.spectral()).isTrue();
        assertThat(atelier.discriminatorBatchNorm()).isFalse();
        assertThat(new DcganDiscriminator(atelier).batchIndependent()).isTrue(); // one pass for real and fake

        JsonObject dcgan = JsonParser.parseString(OLD_ATELIER).getAsJsonObject();
        dcgan.addProperty("family", "dcgan");
        GanConfig d = Json.from(dcgan, GanConfig.class);
        assertThat(d.discriminatorNorm()).isEqualTo(GanConfig.BATCH);
        assertThat(d.spectral()).isFalse();
    }

    @Test
    void newModelsRecordTheirNormalisation() {
        GanConfig atelier = GanConfig.of("atelier", 64, 3, 0);
        assertThat(atelier.discriminatorNorm()).isEqualTo(GanConfig.SPECTRAL_BATCH);
        assertThat(atelier.spectral()).isTrue();
        assertThat(atelier.discriminatorBatchNorm()).isTrue();
        assertThat(new DcganDiscriminator(atelier).batchIndependent()).isFalse();
        GanConfig again = Json.from(Json.tree(atelier), GanConfig.class);
        assertThat(again).isEqualTo(atelier);
        assertThat(GanConfig.of("dcgan", 64, 3, 0).discriminatorNorm()).isEqualTo(GanConfig.BATCH);

        JsonObject odd = Json.tree(atelier).getAsJsonObject();
        assertThat(odd.get("discriminator_norm").getAsString()).isEqualTo("spectral+batch");
        odd.addProperty("discriminator_norm", "layer");
        assertThatThrownBy(() -> Json.from(odd, GanConfig.class)).hasRootCauseInstanceOf(UsageException.class)
                .rootCause().hasMessageContaining("unknown discriminator normalisation 'layer'");
    }
}
