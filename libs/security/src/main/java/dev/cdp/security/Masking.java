package dev.cdp.security;

/**
 * How personal data is shown to a caller without {@code pii-reader}: enough to tell records apart and spot a data
 * problem, not enough to contact or identify the person. Null stays null.
 */
public final class Masking {

    private static final String HIDDEN = "***";

    private Masking() {
    }

    /** {@code o***@example.com}: the first character of the local part and the domain. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return at <= 0 ? HIDDEN : email.substring(0, email.offsetByCodePoints(0, 1)) + HIDDEN + email.substring(at);
    }

    /** {@code +**********67}: every digit but the last two hidden, the rest of the shape kept. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        StringBuilder masked = new StringBuilder(phone.length());
        int digitsLeft = (int) phone.chars().filter(Character::isDigit).count();
        for (char c : phone.toCharArray()) {
            if (Character.isDigit(c)) {
                masked.append(digitsLeft-- > 2 ? '*' : c);
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }

    /** {@code A***}: the initial only. */
    public static String name(String name) {
        return name == null || name.isEmpty() ? name : name.substring(0, name.offsetByCodePoints(0, 1)) + HIDDEN;
    }

    /** {@code ***1234}: the last four characters of a card or account number. */
    public static String number(String number) {
        return number == null ? null : HIDDEN + (number.length() > 4 ? number.substring(number.length() - 4) : "");
    }

    /** A value of unknown kind: nothing of it shown. */
    public static String hidden(String value) {
        return value == null ? null : HIDDEN;
    }
}
