package io.sweepfarm.coordinator.http;

import io.sweepfarm.coordinator.auth.AccessGuard;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;

/**
 * Adds to the OpenAPI document the refusals that follow from the rules rather than from one operation: a 401 wherever
 * {@link AccessGuard} asks for an API key (with reads protected, as a deployment may set), and a 404 wherever the path
 * names a resource by id. Operations describe only their own refusals.
 */
public class ApiResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                if (AccessGuard.keyNeeded(HttpMethod.valueOf(op.getKey().name()), path.getKey())) {
                    add(op.getValue(), "401", "Unauthorized");
                }
                if (path.getKey().contains("{id}")) {
                    add(op.getValue(), "404", "NotFound");
                }
            }
        }
    }

    private static void add(Operation operation, String status, String ref) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        if (!operation.getResponses().hasAPIResponse(status)) {
            operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().ref(ref));
        }
    }
}
