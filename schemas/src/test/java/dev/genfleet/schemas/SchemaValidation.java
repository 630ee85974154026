package dev.genfleet.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/** The shipped JSON Schemas, loaded from the classpath by their {@code $id}, with a real validator. */
final class SchemaValidation {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(
                    mappers -> mappers.mapPrefix(EventType.SCHEMA_BASE, "classpath:" + EventType.SCHEMA_RESOURCE_DIR)));
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private SchemaValidation() {}

    static JsonSchema schema(EventType type) {
        return FACTORY.getSchema(SchemaLocation.of(type.dataSchema().toString()), CONFIG);
    }

    static Set<ValidationMessage> validate(EventType type, JsonNode document) {
        return schema(type).validate(document);
    }
}
