package rpcx.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rpcx} command: {@code rpcx call ...} calls a service from the shell, {@code rpcx bench ...} loads one
 * with calls, {@code rpcx list} and {@code rpcx state} show and change a registry's nodes, {@code rpcx dump ...}
 * decodes frames (from hex, a capture, or a proxy). Exit codes: 0 the call succeeded,
 * 1 the service answered with an error, 2 the command line is wrong, 3 no server could be reached (or the
 * transport failed), 4 the call timed out.
 */
@Command(name = "rpcx", mixinStandardHelpOptions = true, versionProvider = Rpcx.Version.class,
        description = "Calls rpcx services (Go's and Java's) from the shell, and shows rpcx frames.",
        subcommands = {CallCommand.class, BenchCommand.class, RegistryCommands.ListCommand.class,
            RegistryCommands.StateCommand.class, DumpCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the call succeeded", "1:the service answered with an error",
            "2:the command line is wrong", "3:no server could be reached, or the transport failed",
            "4:the call timed out"})
public final class Rpcx implements Runnable {
    /** The call succeeded. */
    static final int OK = 0;
    /** The service answered with an error. */
    static final int SERVICE_ERROR = 1;
    /** The command line is wrong (picocli's usage code). */
    static final int USAGE = 2;
    /** No server could be reached, or the transport failed. */
    static final int UNREACHABLE = 3;
    /** The call timed out. */
    static final int TIMEOUT = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage, exit code 2. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: rpcx call ... (rpcx --help)");
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments
     * @param out  where results go
     * @param err  where errors and usage go
     * @return the exit code
     */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Rpcx());
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command-line entry point.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        quietLibraries();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Libraries under the registry plugins chatter at start-up (gRPC logs at INFO through java.util.logging, slf4j
     * reports that it has no provider); the tool's output is its answer, so unless logging is configured
     * ({@code -Djava.util.logging.config.file}, {@code -Dslf4j.internal.verbosity}) only warnings and errors show.
     */
    static void quietLibraries() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    /** The version: this module's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rpcx " + Rpcx.class.getModule().getDescriptor().rawVersion().orElse("(development)")};
        }
    }
}
