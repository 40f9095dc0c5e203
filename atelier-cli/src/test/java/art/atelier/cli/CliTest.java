package art.atelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import art.atelier.demo.SampleTexts;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real command, started the way the launcher starts it. */
class CliTest {

    @TempDir
    static Path dir;

    static Path corpus;

    record Run(int code, String out, String err) {}

    static Run atelier(String... args) {
        return run(dir.resolve("ws"), args);
    }

    /**
     * @param workspace the workspace the command is given
     * @param args the command line after {@code --workspace DIR}
     * @return the exit code and what it printed
     */
    static Run run(Path workspace, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--workspace";
        all[1] = workspace.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void train() throws IOException {
        corpus = dir.resolve("poems");
        SampleTexts.write(corpus, 4);
        Run r = atelier("train", "text", "--data", corpus.toString(), "--name", "poet", "--steps", "60", "--batch", "8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("trained poet to step 60").contains("model: ");
        assertThat(r.err()).contains("training poet").contains("poet [").contains("eval at step 60");
    }

    @Test
    void generatingTwiceWithASeedGivesTheSameTexts() {
        Run a = atelier("generate", "poet", "--count", "2", "--seed", "7", "--length", "80", "--style", "haiku");
        Run b = atelier("generate", "poet", "--count", "2", "--seed", "7", "--length", "80", "--style", "haiku");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).contains("(seed 7, style haiku, novelty").contains("(seed 8, style haiku, novelty");
    }

    @Test
    void jsonOutputIsMachineReadable() {
        Run g = atelier("generate", "poet", "--seed", "3", "--length", "20", "--prompt", "spring", "--json");
        JsonArray works = JsonParser.parseString(g.out()).getAsJsonArray();
        JsonObject w = works.get(0).getAsJsonObject();
        assertThat(w.get("text").getAsString()).startsWith("spring");
        assertThat(Path.of(w.get("path").getAsString())).exists();
        assertThat(Path.of(w.get("manifest").getAsString())).exists();
        Run m = atelier("models", "--json");
        JsonObject model = JsonParser.parseString(m.out()).getAsJsonArray().get(0).getAsJsonObject();
        assertThat(model.get("name").getAsString()).isEqualTo("poet");
        assertThat(model.get("step").getAsInt()).isEqualTo(60);
        assertThat(atelier("models").out()).contains("poet").contains("text").contains("60/60");
    }

    @Test
    void aPromptFileIsReadAsUtf8AndCheckedLikeTheCorpus() throws IOException {
        Path draft = dir.resolve("draft.txt");
        Files.writeString(draft, "autumn ");
        assertThat(atelier("generate", "poet", "--prompt-file", draft.toString(), "--seed", "1", "--length", "10").out())
                .contains("autumn ");
        Files.write(draft, new byte[] {'a', (byte) 0xFF});
        Run bad = atelier("generate", "poet", "--prompt-file", draft.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("draft.txt is not valid UTF-8").contains("byte offset 1");
    }

    /** Runs the command in a JVM of its own, started as the launcher starts it. */
    static int separateProcess(Path workspace, String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--workspace", workspace.toString()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start().waitFor();
    }

    /** Guards against nondeterminism that only shows across processes (freed memory read by autograd). */
    @Test
    void twoProcessesTrainTheSameModelBitForBit() throws Exception {
        String[] train = {"train", "text", "--data", corpus.toString(), "--name", "twin", "--steps", "60",
                "--batch", "12", "--preset", "baby"};
        assertThat(separateProcess(dir.resolve("one"), train)).isZero();
        assertThat(separateProcess(dir.resolve("two"), train)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("two/models/twin/weights.params")))
                .isEqualTo(Files.readAllBytes(dir.resolve("one/models/twin/weights.params")));
    }

    @Test
    void usageErrorsExitWithTwoAndFailuresWithOneInOnePlainLine() {
        Run none = atelier();
        assertThat(none.code()).isEqualTo(2);
        Run missing = atelier("train", "text", "--name", "x");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("atelier: Missing required option: '--data=PATH'");
        Run unknown = atelier("generate", "poet", "--temprature", "1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--temperature");
        Run badValue = atelier("generate", "poet", "--top-p", "0");
        assertThat(badValue.code()).isEqualTo(2);
        assertThat(badValue.err()).isEqualTo("atelier: top-p must be in (0, 1], was 0.0" + System.lineSeparator());
        Run noModel = atelier("generate", "nobody");
        assertThat(noModel.code()).isEqualTo(1);
        assertThat(noModel.err().lines()).hasSize(1).first().asString().startsWith("atelier: no model named 'nobody'");
        Run exists = atelier("train", "text", "--data", corpus.toString(), "--name", "poet");
        assertThat(exists.code()).isEqualTo(1);
        assertThat(exists.err()).contains("already exists");
        Run badCorpus = atelier("train", "text", "--data", dir.resolve("missing").toString(), "--name", "m");
        assertThat(badCorpus.code()).isEqualTo(1);
        assertThat(badCorpus.err()).contains("no such file or folder");
    }
}
