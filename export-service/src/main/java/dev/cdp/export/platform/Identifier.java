package dev.cdp.export.platform;

/** The kinds of identifier the platforms match on; coverage counters are kept per kind. */
public enum Identifier {
    EMAIL,
    PHONE,
    FIRST_NAME,
    LAST_NAME,
    FIRST_INITIAL,
    CITY,
    STATE,
    ZIP,
    COUNTRY,
    /** The full date, YYYYMMDD (Meta Conversions API {@code db}). */
    DATE_OF_BIRTH,
    BIRTH_YEAR,
    BIRTH_MONTH,
    BIRTH_DAY,
    GENDER,
    MOBILE_ADVERTISER_ID,
    EXTERNAL_ID
}
