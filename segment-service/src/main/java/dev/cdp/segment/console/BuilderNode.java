package dev.cdp.segment.console;

import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * One node of the visual segment builder as a page shows it: a group (logic and children) or a condition with its
 * form fields. {@code id} names its inputs ({@code n}, {@code n.0}, {@code n.0.2}); {@code valueKind} says which input
 * the value takes ({@code text}, {@code number}, {@code boolean}, {@code date}, {@code time}); {@code problems} are what
 * the definition parser said of this node.
 */
@TemplateData
public record BuilderNode(String id, int depth, String logic, List<BuilderNode> children, String type, String field,
        String metric, String event, String operator, List<Option> fields, List<Option> operators, String valueKind, String value, String value2,
        List<Option> transactionTypes, String stores, String windowKind, String period, String from, String to,
        List<Filter> filters, List<String> problems) {

    public boolean isGroup() {
        return logic != null;
    }

    /** {@code n.0.2} as an HTML id: {@code n-0-2}. */
    public String htmlId() {
        return id.replace('.', '-');
    }

    public boolean hasValue() {
        return !"exists".equals(operator) && !"never".equals(operator);
    }

    public boolean isExists() {
        return "exists".equals(operator);
    }

    public boolean isBetween() {
        return "between".equals(operator);
    }

    public boolean canNest() {
        return depth < dev.cdp.segment.definition.DefinitionParser.MAX_DEPTH - 1;
    }

    /** A choice of a select or a checkbox: its value, the message key of its label, whether it is chosen. */
    @TemplateData
    public record Option(String value, String label, boolean selected) {
    }

    /** An event condition's filter: {@code field operator value}. */
    @TemplateData
    public record Filter(String id, String field, String operator, List<Option> operators, String value, String value2,
            List<String> problems) {

        public String htmlId() {
            return id.replace('.', '-');
        }

        public boolean hasValue() {
            return !"exists".equals(operator);
        }

        public boolean isExists() {
            return "exists".equals(operator);
        }

        public boolean isBetween() {
            return "between".equals(operator);
        }
    }
}
