package art.atelier.cli;

import art.atelier.Atelier;
import art.atelier.AtelierException;
import art.atelier.UsageException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import art.atelier.Workspace;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The {@code atelier} command. Exit codes: 0 ok, 2 usage error, 1 failure; every error is one plain
 * line on standard error.
 */
@Command(
        name = "atelier",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // every sub-command has --help and --version too
        versionProvider = Main.Version.class,
        description = "Learn from your own works - texts, pictures, music - and make new ones with you.",
        subcommands = {
            TrainCommand.class,
            GenerateCommand.class,
            VaryCommand.class,
            CrossCommand.class,
            AnimateCommand.class,
            ReconstructCommand.class,
            ScoreCommand.class,
            ModelsCommand.class,
            CatalogCommands.List_.class,
            CatalogCommands.Show.class,
            CatalogCommands.Keep.class,
            CatalogCommands.Reject.class,
            CatalogCommands.Title.class,
            CatalogCommands.Edit.class,
            CatalogCommands.Verify.class,
            CatalogCommands.Edition.class,
            CatalogCommands.Export.class,
            DataCopyingCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--workspace", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "where models, works and logs live (default: $ATELIER_HOME, else ~/.atelier)")
    Path workspace;

    /**
     * @param spec any command's spec
     * @return the workspace the command line names
     */
    static Workspace workspace(CommandLine.Model.CommandSpec spec) {
        return Workspace.resolve(((Main) spec.root().userObject()).workspace);
    }

    /** @param args the command line */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command line, for the launcher and for tests.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("atelier: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("(" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help shows the usage)");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UsageException) {
                err.println("atelier: " + ex.getMessage());
                err.flush();
                return 2;
            }
            if (ex instanceof AtelierException) {
                err.println("atelier: " + ex.getMessage());
                err.flush();
                return 1;
            }
            err.println("atelier: internal error: " + ex);
            if (Boolean.getBoolean("atelier.debug")) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with JAVA_OPTS=-Datelier.debug=true for the stack trace)");
            }
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, generate, vary, cross,"
                + " animate, reconstruct, score, models, works, show, keep, reject, title, edit, verify, edition, export,"
                + " data-copying, demo");
    }

    /** The version line. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"atelier " + Atelier.VERSION};
        }
    }
}
