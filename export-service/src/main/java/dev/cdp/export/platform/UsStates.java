package dev.cdp.export.platform;

import java.util.HashMap;
import java.util.Map;

/** US states, DC and territories by name and by code, for Meta's rule that US states go as their two-letter code. */
final class UsStates {

    private static final Map<String, String> CODES = build();

    private UsStates() {
    }

    /** The lower-case two-letter code for a state name or code already reduced to {@code a-z}; null if none. */
    static String code(String asciiLetters) {
        return CODES.get(asciiLetters);
    }

    private static Map<String, String> build() {
        String[][] states = {
            {"AL", "Alabama"}, {"AK", "Alaska"}, {"AZ", "Arizona"}, {"AR", "Arkansas"}, {"CA", "California"},
            {"CO", "Colorado"}, {"CT", "Connecticut"}, {"DE", "Delaware"}, {"FL", "Florida"}, {"GA", "Georgia"},
            {"HI", "Hawaii"}, {"ID", "Idaho"}, {"IL", "Illinois"}, {"IN", "Indiana"}, {"IA", "Iowa"},
            {"KS", "Kansas"}, {"KY", "Kentucky"}, {"LA", "Louisiana"}, {"ME", "Maine"}, {"MD", "Maryland"},
            {"MA", "Massachusetts"}, {"MI", "Michigan"}, {"MN", "Minnesota"}, {"MS", "Mississippi"},
            {"MO", "Missouri"}, {"MT", "Montana"}, {"NE", "Nebraska"}, {"NV", "Nevada"}, {"NH", "New Hampshire"},
            {"NJ", "New Jersey"}, {"NM", "New Mexico"}, {"NY", "New York"}, {"NC", "North Carolina"},
            {"ND", "North Dakota"}, {"OH", "Ohio"}, {"OK", "Oklahoma"}, {"OR", "Oregon"}, {"PA", "Pennsylvania"},
            {"RI", "Rhode Island"}, {"SC", "South Carolina"}, {"SD", "South Dakota"}, {"TN", "Tennessee"},
            {"TX", "Texas"}, {"UT", "Utah"}, {"VT", "Vermont"}, {"VA", "Virginia"}, {"WA", "Washington"},
            {"WV", "West Virginia"}, {"WI", "Wisconsin"}, {"WY", "Wyoming"}, {"DC", "District of Columbia"},
            {"AS", "American Samoa"}, {"GU", "Guam"}, {"MP", "Northern Mariana Islands"}, {"PR", "Puerto Rico"},
            {"VI", "U.S. Virgin Islands"}, {"UM", "United States Minor Outlying Islands"},
        };
        Map<String, String> codes = new HashMap<>();
        for (String[] state : states) {
            String code = Text.asciiLetters(state[0]);
            codes.put(code, code);
            codes.put(Text.asciiLetters(state[1]), code);
        }
        codes.put("washingtondc", "dc");
        codes.put("virginislands", "vi");
        return Map.copyOf(codes);
    }
}
