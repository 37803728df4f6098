package dev.cdp.devtools;

import java.io.IOException;
import java.io.InputStream;

/** How a tool started by a test JVM ends with it: the parent never writes to our stdin, so its end means the parent is gone. */
final class ParentWatch {

    private ParentWatch() {
    }

    /** Exits this process (running its shutdown hooks) once standard input closes. */
    static void exitWhenStdinCloses(String threadName) {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; end of stream means it is gone
                }
            } catch (IOException ignored) {
                // a broken pipe means the same
            }
            System.exit(0);
        }, threadName);
        watcher.setDaemon(true);
        watcher.start();
    }
}
