package art.atelier.cli;

import art.atelier.Workspace;
import art.atelier.train.ModelCard;
import art.atelier.util.Json;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code atelier models}: the models in the workspace. */
@Command(name = "models", description = "List the trained models in the workspace.")
final class ModelsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print the list as JSON")
    boolean json;

    @Override
    public void run() {
        Workspace ws = Main.workspace(spec);
        List<ModelCard> cards;
        try {
            cards = ws.listModels();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + ws.models() + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (ModelCard c : cards) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.name());
                m.put("path", ws.model(c.name()).toString());
                m.put("medium", c.medium());
                m.put("family", c.family());
                m.put("preset", c.preset());
                m.put("step", c.step());
                m.put("steps", c.training().steps());
                m.put("evaluation", c.evaluation());
                m.put("styles", c.styles());
                m.put("corpus", c.corpus());
                m.put("updated", c.updated());
                list.add(m);
            }
            out.println(Json.write(list));
            out.flush();
            return;
        }
        if (cards.isEmpty()) {
            out.println("no models in " + ws.models() + " (atelier train text --data DIR --name NAME makes one)");
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "%-20s %-6s %-6s %-6s %11s %9s  %s%n", "NAME", "MEDIUM", "FAMILY", "PRESET", "STEPS",
                "VAL LOSS", "CORPUS");
        for (ModelCard c : cards) {
            Double val = c.evaluation().get("val_loss");
            out.printf(Locale.ROOT, "%-20s %-6s %-6s %-6s %11s %9s  %s%n", c.name(), c.medium(), c.family(),
                    c.preset(), c.step() + "/" + c.training().steps(),
                    val == null ? "-" : String.format(Locale.ROOT, "%.4f", val), c.corpus().path());
        }
        out.flush();
    }
}
