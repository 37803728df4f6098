package dev.cdp.segment.definition;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The customer attributes a profile condition may name: the whitelist of columns of
 * {@code profile.read_customer_traits_v1} the compiler writes into SQL, and how each one compares.
 */
public enum ProfileField {
    CITY("city", "city_normalized", Kind.FOLDED),
    STATE("state", "state", Kind.TEXT),
    POSTAL_CODE("postalCode", "postal_code", Kind.TEXT),
    COUNTRY("country", "country_code", Kind.COUNTRY),
    SEGMENT("segment", "segment", Kind.LOWER),
    TIER("tier", "segment", Kind.LOWER),
    GENDER("gender", "gender", Kind.GENDER),
    AGE("age", "age", Kind.NUMBER),
    BIRTH_DATE("birthDate", "birth_date", Kind.DATE),
    CREATED_AT("createdAt", "created_at", Kind.TIME),
    LAST_SEEN_AT("lastSeenAt", "last_seen_at", Kind.TIME),
    EMAIL_OPT_IN("emailOptIn", "consent_email", Kind.BOOLEAN),
    SMS_OPT_IN("smsOptIn", "consent_sms", Kind.BOOLEAN),
    ADVERTISING_OPT_IN("advertisingOptIn", "consent_advertising", Kind.BOOLEAN),
    EMAIL("email", "has_email", Kind.PRESENCE),
    PHONE("phone", "has_phone", Kind.PRESENCE),
    LOYALTY_CARD("loyaltyCard", "has_loyalty_card", Kind.PRESENCE);

    /** How a field's values are typed, folded and compared. */
    public enum Kind {
        /** Text matched folded (Turkish-aware lower case without accents) against a folded column. */
        FOLDED(EnumSet.of(Operator.EQ, Operator.NEQ, Operator.IN, Operator.NOT_IN, Operator.CONTAINS, Operator.STARTS_WITH, Operator.EXISTS)),
        /** Text matched case-insensitively, PostgreSQL lower-casing both sides. */
        TEXT(FOLDED.operators),
        /**
         * Text the read model keeps in lower case: matched case-insensitively by lower-casing the value only, so an
         * index on the column serves.
         */
        LOWER(FOLDED.operators),
        /** A gender, matched in the form profile-service stores ({@code Kadın} is {@code female}, {@code Non-binary} is {@code non binary}). */
        GENDER(FOLDED.operators),
        /** An ISO 3166-1 alpha-2 code. */
        COUNTRY(EnumSet.of(Operator.EQ, Operator.NEQ, Operator.IN, Operator.NOT_IN, Operator.EXISTS)),
        NUMBER(EnumSet.of(Operator.EQ, Operator.NEQ, Operator.IN, Operator.NOT_IN, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE,
                Operator.BETWEEN, Operator.EXISTS)),
        DATE(EnumSet.of(Operator.EQ, Operator.NEQ, Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.BETWEEN, Operator.EXISTS)),
        TIME(EnumSet.of(Operator.GT, Operator.GTE, Operator.LT, Operator.LTE, Operator.BETWEEN, Operator.EXISTS)),
        BOOLEAN(EnumSet.of(Operator.EQ, Operator.NEQ, Operator.EXISTS)),
        /**
         * Only whether it is known: the value itself is PII a segment should not spell out, and the read model holds
         * only a boolean column.
         */
        PRESENCE(EnumSet.of(Operator.EXISTS));

        private final Set<Operator> operators;

        Kind(Set<Operator> operators) {
            this.operators = operators;
        }

        public Set<Operator> operators() {
            return operators;
        }
    }

    private final String json;
    private final String column;
    private final Kind kind;

    ProfileField(String json, String column, Kind kind) {
        this.json = json;
        this.column = column;
        this.kind = kind;
    }

    public String json() {
        return json;
    }

    String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    static Optional<ProfileField> of(String json) {
        return Arrays.stream(values()).filter(field -> field.json.equals(json)).findFirst();
    }
}
