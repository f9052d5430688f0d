package rpcx.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the tool in the test's JVM and keeps what it printed. */
final class Cli {
    private Cli() {
    }

    /** One run: the exit code and what went to stdout and stderr. */
    record Run(int code, String out, String err) {
    }

    static Run rpcx(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rpcx.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }
}
