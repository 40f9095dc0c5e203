package art.atelier.cli;

import art.atelier.UsageException;
import art.atelier.catalog.Action;
import art.atelier.catalog.Filter;
import art.atelier.catalog.StoredFile;
import art.atelier.catalog.Work;
import art.atelier.util.Json;
import art.atelier.work.Records;
import art.atelier.work.Studio;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The catalog's commands: list, show, keep, reject, title, verify, edition, export. */
final class CatalogCommands {

    private CatalogCommands() {}

    /** {@code atelier works}: the catalog, newest first. */
    @Command(name = "works", description = "List the works in the catalog, newest first.", sortOptions = false)
    static final class List_ implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--medium", description = "text, image or music")
        String medium;

        @Option(names = "--model", paramLabel = "NAME", description = "works of this model")
        String model;

        @Option(names = "--style", description = "works in this style")
        String style;

        @Option(names = "--min-novelty", paramLabel = "X", description = "works whose novelty is at least X")
        Double minNovelty;

        @Option(names = "--status", description = "new, kept or rejected")
        String status;

        @Option(names = "--json", description = "print them as JSON")
        boolean json;

        @Override
        public void run() {
            if (medium != null && !List.of("text", "image", "music").contains(medium)) {
                throw new UsageException("--medium is text, image or music, was '" + medium + "'");
            }
            if (status != null && !List.of("new", "kept", "rejected").contains(status)) {
                throw new UsageException("--status is new, kept or rejected, was '" + status + "'");
            }
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                List<Work> works = studio.catalog().list(new Filter(medium, null, model, style, minNovelty,
                        status, 0));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (Work w : works) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("id", w.id());
                        e.put("medium", w.medium());
                        e.put("kind", w.kind());
                        e.put("model", w.model());
                        e.put("style", w.style());
                        e.put("novelty", Double.isNaN(w.novelty()) ? null : w.novelty());
                        e.put("status", w.status());
                        e.put("title", w.title());
                        e.put("made", w.created());
                        e.put("file", file(w));
                        list.add(e);
                    }
                    out.println(Json.write(list));
                } else if (works.isEmpty()) {
                    out.println("no works" + (medium == null && model == null && style == null && minNovelty == null
                            && status == null ? " yet: atelier generate makes some" : " match"));
                } else {
                    out.printf(Locale.ROOT, "%-36s %-16s %7s  %-8s %s%n", "ID", "MEDIUM/KIND", "NOVELTY", "STATUS",
                            "TITLE");
                    for (Work w : works) {
                        out.printf(Locale.ROOT, "%-36s %-16s %7s  %-8s %s%n", w.id(), w.medium() + "/" + w.kind(),
                                Double.isNaN(w.novelty()) ? "-" : String.format(Locale.ROOT, "%.2f", w.novelty()),
                                w.status(), w.title() == null ? "" : w.title());
                    }
                }
                out.flush();
            }
        }

        private static String file(Work w) {
            for (StoredFile f : w.files()) {
                if ("work".equals(f.role())) {
                    return f.path().toString();
                }
            }
            return null;
        }
    }

    /** {@code atelier show WORK}. */
    @Command(name = "show", description = "Show a work's provenance, novelty scores and history.")
    static final class Show implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WORK", description = "its id (a unique beginning is enough) or file")
        String work;

        @Option(names = "--json", description = "print it as JSON")
        boolean json;

        @Override
        public void run() {
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                Map<String, Object> d = Records.describe(studio, art.atelier.work.Works.entry(studio, work));
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.write(d));
                } else {
                    for (Map.Entry<String, Object> e : d.entrySet()) {
                        print(out, e.getKey(), e.getValue());
                    }
                }
                out.flush();
            }
        }

        private static void print(PrintWriter out, String key, Object value) {
            if (value == null) {
                return;
            }
            String label = key.replace('_', ' ');
            if (value instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    return;
                }
                out.println(label + ":");
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() != null) {
                        out.println("  " + String.valueOf(e.getKey()).replace('_', ' ') + ": " + brief(e.getValue()));
                    }
                }
            } else if (value instanceof List<?> list) {
                if (list.isEmpty()) {
                    return;
                }
                out.println(label + ":");
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        out.println("  " + m.get("when") + "  " + m.get("action")
                                + (m.get("detail") == null ? "" : ": " + m.get("detail")));
                    } else {
                        out.println("  " + o);
                    }
                }
            } else if (value instanceof art.atelier.work.Manifest.ModelRef m) {
                out.println("model: " + m.name() + " (" + m.medium() + ", " + m.family() + ", step " + m.step()
                        + ", checkpoint " + m.checkpoint() + ")");
                out.println("corpus: " + m.corpusFingerprint());
            } else {
                out.println(label + ": " + value);
            }
        }

        /** Long values (a latent vector, a code grid) shortened for reading; --json has them whole. */
        private static String brief(Object v) {
            String s = v instanceof List<?> l && l.size() > 8 ? "[" + l.size() + " values]" : String.valueOf(v);
            return s.length() > 200 ? s.substring(0, 200) + "…" : s;
        }
    }

    /** The artist's decisions on a work. */
    abstract static class Act implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WORK", description = "its id (a unique beginning is enough) or file")
        String work;

        abstract String action();

        abstract String done();

        String detail() {
            return null;
        }

        @Override
        public void run() {
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                Work w = studio.act(work, action(), detail());
                spec.commandLine().getOut().println(w.id() + ": " + done() + (detail() == null ? "" : " \""
                        + detail() + "\"") + " (signed, in the catalog)");
                spec.commandLine().getOut().flush();
            }
        }
    }

    /** {@code atelier keep WORK}. */
    @Command(name = "keep", description = "Keep a work: it is yours to show, title and issue.")
    static final class Keep extends Act {
        @Override
        String action() {
            return Action.KEEP;
        }

        @Override
        String done() {
            return "kept";
        }
    }

    /** {@code atelier reject WORK}. */
    @Command(name = "reject", description = "Reject a work: it stays in the record, marked rejected.")
    static final class Reject extends Act {
        @Override
        String action() {
            return Action.REJECT;
        }

        @Override
        String done() {
            return "rejected";
        }
    }

    /** {@code atelier title WORK TITLE}. */
    @Command(name = "title", description = "Give a work its title.")
    static final class Title extends Act {
        @Parameters(index = "1", paramLabel = "TITLE", description = "the title")
        String title;

        @Override
        String action() {
            return Action.TITLE;
        }

        @Override
        String done() {
            return "titled";
        }

        @Override
        String detail() {
            if (title.isBlank()) {
                throw new UsageException("a title cannot be blank");
            }
            return title.strip();
        }
    }

    /** {@code atelier edit WORK FILE}. */
    @Command(name = "edit", description = "Keep your own edit of a work (the text rewritten, the picture retouched,"
            + " the piece rearranged) as a new work: its parent is the original, its manifest says you edited it.")
    static final class Edit implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WORK", description = "the work you edited: its id or file")
        String work;

        @Parameters(index = "1", paramLabel = "FILE", description = "your edited version: UTF-8 text, PNG or MIDI, as"
                + " the work is")
        Path file;

        @Override
        public void run() {
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                art.atelier.work.Works.Saved w = Records.edit(studio, work, file);
                spec.commandLine().getOut().println(w.id() + " (your edit of " + w.manifest().parents().get(0) + ") -> "
                        + w.file());
                spec.commandLine().getOut().flush();
            }
        }
    }

    /** {@code atelier verify FILE...}. */
    @Command(name = "verify", description = "Check that a work's file, or an edition certificate, is what its signed"
            + " manifest says: valid, or exactly what is wrong. Exit code 0 only if every file is valid.")
    static final class Verify implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "a work's file (PNG, GIF, MIDI, text, WAV) or a"
                + " .certificate.json")
        List<Path> files;

        @Override
        public Integer call() {
            boolean all = true;
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                PrintWriter out = spec.commandLine().getOut();
                for (Path f : files) {
                    Records.Verdict v = Records.verify(studio, f);
                    out.println(v.message());
                    all &= v.valid();
                }
                out.flush();
            }
            return all ? 0 : 1;
        }
    }

    /** {@code atelier edition WORK --of N}. */
    @Command(name = "edition", description = "Issue a work as a numbered edition: N signed certificates. A work is"
            + " issued once.")
    static final class Edition implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WORK", description = "its id (a unique beginning is enough) or file")
        String work;

        @Option(names = "--of", required = true, paramLabel = "N", description = "how many certificates, numbered"
                + " 1 to N")
        int of;

        @Override
        public void run() {
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                List<Path> files = Records.edition(studio, work, of);
                PrintWriter out = spec.commandLine().getOut();
                out.println("issued an edition of " + of + ":");
                files.forEach(f -> out.println("  " + f));
                out.flush();
            }
        }
    }

    /** {@code atelier export --html DIR}. */
    @Command(name = "export", description = "Export the catalog as a static gallery page, viewable offline.",
            sortOptions = false)
    static final class Export implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--html", required = true, paramLabel = "DIR", description = "the folder to write (new, empty,"
                + " or an earlier export)")
        Path dir;

        @Option(names = "--medium", description = "only text, image or music")
        String medium;

        @Option(names = "--status", description = "only new, kept or rejected works")
        String status;

        @Override
        public void run() {
            try (Studio studio = Studio.open(Main.workspace(spec))) {
                Path page = Records.export(studio, dir, new Filter(medium, null, null, null, null, status, 0));
                spec.commandLine().getOut().println("wrote " + page);
                spec.commandLine().getOut().flush();
            }
        }
    }
}
