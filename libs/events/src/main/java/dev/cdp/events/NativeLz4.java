package dev.cdp.events;

import net.jpountz.lz4.LZ4Factory;

/**
 * Every topic is lz4-compressed, and Kafka's client takes lz4-java's fastest codec, but lz4-java loads its native
 * library on its own only from the system class loader: under Quarkus' class loader it falls back to its pure-Java
 * codec, which cost 12% of profile-service's CPU (JFR). Loading the library once before the first Kafka client
 * makes every later choice the native codec. Where it cannot load (a native image, another platform), the Java codec
 * stays, with the same bytes on the wire.
 */
public final class NativeLz4 {

    private NativeLz4() {
    }

    /** Loads the native codec if it can. Safe to call more than once. */
    public static void load() {
        try {
            LZ4Factory.nativeInstance();
        } catch (Throwable unavailable) {
            // the pure-Java codec stays: slower, same format
        }
    }
}
