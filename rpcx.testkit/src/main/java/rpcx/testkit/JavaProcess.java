package rpcx.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM a test starts with its own class path (or that class path as a module path), whose output (stdout and
 * stderr together) is read line by line as it comes. Closing it kills the process.
 */
public final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private JavaProcess(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "java-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static List<String> java() {
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    }

    /** Runs {@code mainClass} with this JVM's class path. */
    public static JavaProcess classPath(String mainClass, String... args) throws IOException {
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return new JavaProcess(cmd);
    }

    /**
     * Runs {@code module/mainClass} with this JVM's class path as the module path: every jar, and every directory
     * holding a {@code module-info.class} (test classes without one are left out). Modules are resolved as
     * {@code java -m} does, with service binding and no {@code --add-modules}.
     */
    public static JavaProcess modulePath(String module, String mainClass, String... args) throws IOException {
        String path = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.endsWith(".jar") || Files.exists(Path.of(p, "module-info.class")))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = java();
        cmd.addAll(List.of("-p", path, "-m", module + "/" + mainClass));
        cmd.addAll(List.of(args));
        return new JavaProcess(cmd);
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /**
     * The first line from here on containing {@code text}, waiting up to 60 s.
     *
     * @throws AssertionError with the output so far when none comes
     */
    public String awaitLine(String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                synchronized (seen) {
                    seen.add(line);
                }
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no line containing '" + text + "'; output: " + output());
    }

    /** The lines read by {@link #awaitLine} so far. */
    public List<String> output() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Waits for the process to end and returns its exit value; fails after {@code seconds}. */
    public int exitValue(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not end within " + seconds + " s; output: " + output());
        }
        return process.exitValue();
    }

    /** Kills the process (SIGKILL) if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
