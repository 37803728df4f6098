package dev.cdp.ingestion.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The intake's calls take their body as bytes, to measure, decode and parse it themselves, so the generated document
 * would call it octet-stream; this says what the bytes are: JSON, under the labels the tracking libraries give it.
 */
public class JsonBodiesDocument implements OASFilter {

    private static final List<String> LABELS = List.of("application/json", "text/plain", "application/x-www-form-urlencoded");

    @Override
    public Operation filterOperation(Operation operation) {
        List<String> tags = operation.getTags() == null ? List.of() : operation.getTags();
        if (operation.getRequestBody() != null && (tags.contains("tracking") || tags.contains("transactions"))) {
            Content content = OASFactory.createContent();
            LABELS.forEach(label -> content.addMediaType(label, OASFactory.createMediaType()
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.OBJECT))));
            operation.getRequestBody().content(content).description("JSON, labelled application/json, text/plain (browsers) "
                    + "or application/x-www-form-urlencoded (RudderStack's Node SDK); Content-Encoding gzip or deflate "
                    + "for a compressed body. The size limits apply to the decoded bytes.");
        }
        return operation;
    }
}
