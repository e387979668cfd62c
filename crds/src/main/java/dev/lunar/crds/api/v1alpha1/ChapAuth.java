package dev.lunar.crds.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * CHAP credentials by reference. Each Secret lives in the target's namespace and holds the keys
 * {@code username} and {@code password} (the {@code kubernetes.io/basic-auth} layout); the values
 * never appear in any resource.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChapAuth(
    @JsonPropertyDescription(
            "Secret with the username and password initiators must authenticate with.")
        @Required
        @Size(min = 1, max = 253)
        String secretName,
    @JsonPropertyDescription(
            "Secret with the username and password the target answers with, for mutual CHAP;"
                + " absent means one-way CHAP.")
        @Size(min = 1, max = 253)
        String mutualSecretName) {}
