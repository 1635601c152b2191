/** Records, ids and formats shared by the coordinator, the workers and the CLI. No CDI beans, no entities. */
package io.sweepfarm.common;
