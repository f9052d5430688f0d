package rpcx.examples.member.cmd;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Prints like Go's {@code log} package: {@code 2019/07/26 20:50:41 message}. */
public final class Console {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private Console() {
    }

    /** Makes java.util.logging print {@code 2019/07/26 20:50:22 INFO : message}, like rpcx's Go logger. */
    public static void useGoLogFormat() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tY/%1$tm/%1$td %1$tH:%1$tM:%1$tS %4$s : %5$s%6$s%n");
        }
    }

    /** Go's {@code log.Println}: a timestamped line on standard output. */
    public static void log(String message) {
        System.out.println(LocalDateTime.now().format(TIME) + " " + message);
    }
}
