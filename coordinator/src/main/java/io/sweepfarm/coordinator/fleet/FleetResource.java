package io.sweepfarm.coordinator.fleet;

import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.api.ModelView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet as the workers' heartbeats describe it. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fleet", description = "Workers' lanes and the models they serve, from their heartbeats")
public class FleetResource {

    @Inject
    Fleet fleet;

    @Inject
    ModelBacklog backlog;

    /** Every lane with its latest heartbeat and its age; {@code model} keeps one model's lanes. */
    @GET
    @Path("workers")
    public List<LaneView> workers(@QueryParam("model") String model) {
        List<LaneView> lanes = fleet.lanes();
        return model == null || model.isBlank() ? lanes : lanes.stream().filter(l -> l.model().equals(model)).toList();
    }

    /** Every model with lanes or waiting tasks: its live lanes, lanes by state, throughput and waiting tasks. */
    @GET
    @Path("models")
    public List<ModelView> models() {
        return fleet.models(backlog);
    }
}
