package dev.cdp.export.platform;

/** The ad platforms we export audiences to. */
public enum Platform {
    META,
    GOOGLE,
    TIKTOK
}
