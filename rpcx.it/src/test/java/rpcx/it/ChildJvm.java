package rpcx.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A separate JVM running an example main, from the module path or the class path, with its output captured. */
final class ChildJvm implements AutoCloseable {
    static final Path MODULES = Path.of("target/modules").toAbsolutePath();
    static final String EPOLL_NATIVE = "io.netty.transport.epoll.linux.x86_64";
    static final String QUIC_NATIVE = "io.netty.codec.quic.linux.x86_64";

    private final Process process;
    /** Appended to by the reader; not copy-on-write: a busy example prints a line per call, tens of thousands. */
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildJvm(List<String> command) {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process died
            }
        }, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static List<Path> jars() {
        try (Stream<Path> s = Files.list(MODULES)) {
            List<Path> jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no jars in " + MODULES + ": run the tests with ./mvnw verify");
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + MODULES + " (run the tests with ./mvnw verify)", e);
        }
    }

    static boolean hasEpollNative() {
        return jars().stream().anyMatch(p -> p.getFileName().toString().contains("native-epoll"));
    }

    /** {@code java -p target/modules -m module/mainClass args...}. */
    static ChildJvm modulePath(String module, String mainClass, String... args) {
        return modulePathUnder(List.of(), module, mainClass, args);
    }

    /** The same, started through a launcher such as {@code nohup}. */
    static ChildJvm modulePathUnder(List<String> launcher, String module, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        if (launcher.isEmpty() && hupIgnoredHere()) {
            // children inherit an ignored SIGHUP (this JVM runs under nohup): give them the default back
            cmd.addAll(List.of("env", "--default-signal=HUP"));
        }
        cmd.addAll(List.of(java(), "-Dio.netty.leakDetection.level=paranoid", "-p", MODULES.toString()));
        List<String> natives = new ArrayList<>();
        if (hasEpollNative()) {
            natives.add(EPOLL_NATIVE);
        }
        if (jars().stream().anyMatch(p -> p.getFileName().toString().startsWith("netty-codec-native-quic-") && p.toString().contains("linux-x86_64"))) {
            natives.add(QUIC_NATIVE); // a module nothing requires, as epoll's
        }
        if (!natives.isEmpty()) {
            cmd.addAll(List.of("--add-modules", String.join(",", natives)));
        }
        cmd.addAll(List.of("-m", module + "/" + mainClass));
        cmd.addAll(List.of(args));
        return new ChildJvm(cmd);
    }

    /** Whether this process ignores SIGHUP (bit 0 of SigIgn in /proc/self/status). */
    static boolean hupIgnoredHere() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to undo
        }
        return false;
    }

    /** {@code java -cp target/modules/* mainClass args...}. */
    static ChildJvm classPath(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Dio.netty.leakDetection.level=paranoid", "-cp", MODULES + "/*", mainClass));
        cmd.addAll(List.of(args));
        return new ChildJvm(cmd);
    }

    /** Waits for a line matching the regex and returns its matcher. */
    Matcher awaitLine(String regex, long seconds) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int seen = 0;
        while (System.nanoTime() < end) {
            for (; seen < lines.size(); seen++) {
                Matcher m = p.matcher(lines.get(seen));
                if (m.find()) {
                    return m;
                }
            }
            if (!process.isAlive() && seen >= lines.size()) {
                reader.join(1000);
                if (seen >= lines.size()) {
                    break;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line matching /" + regex + "/ within " + seconds + " s; output:\n" + output());
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + seconds + " s; output:\n" + output());
        }
        reader.join(2000);
        return process.exitValue();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}...) to the process. */
    void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops the process (SIGSTOP) and waits until the kernel reports it stopped: hung but still connected. */
    void stop() throws Exception {
        signal("STOP");
        Path stat = Path.of("/proc/" + process.pid() + "/stat");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            String s = Files.readString(stat);
            char state = s.charAt(s.lastIndexOf(')') + 2); // the field after "(comm)"
            if (state == 'T' || state == 't') {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + process.pid() + " did not stop");
    }

    /** SIGKILL: the server vanishes without closing anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
