package com.example.rpcx.codec.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin story end to end: the tutorial's member server and client, unchanged, from the published
 * {@code io.rpcx:rpcx.examples.member} artifact, each in its own JVM on the module path. With this plugin's jar (and
 * Jackson's CBOR module) added to the module path they talk CBOR under SerializeType 5 ({@code -codec 5}); without
 * it, the side that lacks it says which codec is missing. Everything listens on 127.0.0.1 only; every child JVM is
 * killed in a finally block.
 */
class MemberOverCborIT {
    private static final String SERVER = "rpcx.examples.member/rpcx.examples.member.cmd.MemberServer";
    private static final String CLIENT = "rpcx.examples.member/rpcx.examples.member.cmd.MemberClient";
    private static final String TUTORIAL_REPLY = "999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}";
    private static final Pattern LISTENING = Pattern.compile("listening on tcp@(127\\.0\\.0\\.1:\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    /** The member example and what it needs, without this plugin. */
    private static final String APP = required("cbor.appModules");
    /** The application's module path plus the plugin: its jar and its own dependencies. */
    private static final String APP_WITH_PLUGIN = String.join(File.pathSeparator,
            APP, required("cbor.pluginModules"), required("cbor.pluginJar"));

    /** A member server with the plugin, shared by the tests. */
    private static Child cborServer;
    private static String cborServerAddress;

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " must name an existing path (set by"
                    + " maven-failsafe-plugin after package), is " + value);
        }
        return value;
    }

    @BeforeAll
    static void startServerWithPlugin() throws Exception {
        cborServer = Child.start("server+cbor", APP_WITH_PLUGIN, SERVER, "-addr", "127.0.0.1:0");
        cborServerAddress = cborServer.awaitListening();
    }

    @AfterAll
    static void stopServer() {
        if (cborServer != null) {
            cborServer.kill();
        }
    }

    @Test
    void memberClientCallsMemberServerOverCbor() throws Exception {
        Child.Result r = Child.run("client+cbor", APP_WITH_PLUGIN, CLIENT, "-codec", "5", "-addr", cborServerAddress);
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.output().contains(TUTORIAL_REPLY), r::describe);
        cborServer.awaitOutput("service: 999");
    }

    @Test
    void theBuiltInCodecsStillWorkNextToThePlugin() throws Exception {
        for (String codec : List.of("msgpack", "json")) {
            Child.Result r = Child.run("client+" + codec, APP_WITH_PLUGIN, CLIENT, "-codec", codec,
                    "-addr", cborServerAddress);
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.output().contains(TUTORIAL_REPLY), r::describe);
        }
    }

    @Test
    void aClientWithoutThePluginSaysWhichCodecIsMissing() throws Exception {
        Child.Result r = Child.run("client", APP, CLIENT, "-codec", "5", "-addr", cborServerAddress);
        assertEquals(1, r.exitCode(), r::describe);
        assertTrue(r.output().contains("failed to call: no codec for SerializeType 5"), r::describe);
    }

    @Test
    void aServerWithoutThePluginAnswersThatItHasNoCodec5() throws Exception {
        Child plain = Child.start("server", APP, SERVER, "-addr", "127.0.0.1:0");
        try {
            String address = plain.awaitListening();
            Child.Result r = Child.run("client+cbor", APP_WITH_PLUGIN, CLIENT, "-codec", "5", "-addr", address);
            assertEquals(1, r.exitCode(), r::describe);
            assertTrue(r.output().contains("failed to call: can not find codec for 5"), r::describe);
        } finally {
            plain.kill();
        }
    }

    /** A child JVM with its standard output and error merged and collected. */
    private static final class Child {
        record Result(String name, int exitCode, String output) {
            String describe() {
                return name + " exited " + exitCode + ", output:\n" + output;
            }
        }

        private final String name;
        private final Process process;
        private final StringBuffer output = new StringBuffer();
        private final Thread pump;

        private Child(String name, Process process) {
            this.name = name;
            this.process = process;
            this.pump = new Thread(this::pump, "output of " + name);
            pump.setDaemon(true);
            pump.start();
        }

        static Child start(String name, String modulePath, String mainModuleAndClass, String... args)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "--module-path", modulePath,
                    "-m", mainModuleAndClass));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            return new Child(name, pb.start());
        }

        /** Runs a child to its end (killed after {@link #CALL_TIMEOUT}). */
        static Result run(String name, String modulePath, String mainModuleAndClass, String... args)
                throws Exception {
            Child c = start(name, modulePath, mainModuleAndClass, args);
            try {
                if (!c.process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    fail(name + " did not finish within " + CALL_TIMEOUT + "; output:\n" + c.output);
                }
                c.pump.join(TimeUnit.SECONDS.toMillis(10));
                return new Result(name, c.process.exitValue(), c.output.toString());
            } finally {
                c.kill();
            }
        }

        private void pump() {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.append(line).append('\n');
                    System.out.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
            }
        }

        /** Waits for the server's "listening on tcp@127.0.0.1:port" line and returns host:port. */
        String awaitListening() throws InterruptedException {
            Matcher m = awaitOutput(LISTENING);
            return m.group(1);
        }

        void awaitOutput(String text) throws InterruptedException {
            awaitOutput(Pattern.compile(Pattern.quote(text)));
        }

        private Matcher awaitOutput(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = pattern.matcher(output.toString());
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive() && !pump.isAlive()) {
                    fail(name + " exited " + process.exitValue() + " before printing " + pattern + "; output:\n"
                            + output);
                }
                Thread.sleep(50);
            }
            fail(name + " did not print " + pattern + " within " + START_TIMEOUT + "; output:\n" + output);
            return null;
        }

        /** Kills the JVM (and anything it started) and waits for it to go. */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
