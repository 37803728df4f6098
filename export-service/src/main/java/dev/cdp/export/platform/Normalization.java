package dev.cdp.export.platform;

/**
 * What the normalizers promise as a whole. Every rule and every decision on an ambiguity is listed in
 * {@code docs/export-normalization.md}; the per-platform classes ({@link MetaNormalizers}, {@link GoogleNormalizers},
 * {@link TikTokNormalizers}) say why in short comments.
 */
public final class Normalization {

    /**
     * Recorded with every export job. A platform matches a removal only if it hashes to what the addition sent, so any
     * change that can alter a normalized string or hash must bump this version.
     */
    public static final String NORMALIZER_VERSION = "2026-12-05.1";

    private Normalization() {
    }
}
