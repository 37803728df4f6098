package dev.cdp.devtools;

/** The command-line handling the long-running tools share: an option's value, or the usage and exit code 2. */
final class ToolOptions {

    private ToolOptions() {
    }

    /** {@code args[i]}, the value of option {@code args[i - 1]}. */
    static String value(String[] args, int i, String usage) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value", usage);
        }
        return args[i];
    }

    static void fail(String problem, String usage) {
        System.err.println(problem);
        System.err.println("usage: " + usage);
        System.exit(2);
    }
}
