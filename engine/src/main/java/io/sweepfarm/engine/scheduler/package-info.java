/**
 * Diffusion samplers (schedulers) in pure Java, numerically matching HuggingFace diffusers' schedulers.
 *
 * <p>Entry points: {@link io.sweepfarm.engine.scheduler.SchedulerConfig} reads a model's
 * {@code scheduler/scheduler_config.json}; {@link io.sweepfarm.engine.scheduler.Samplers#create} makes a
 * fresh {@link io.sweepfarm.engine.scheduler.Sampler} for one run; stochastic samplers draw their noise
 * through {@link io.sweepfarm.engine.scheduler.StepNoise}.
 *
 * <p>Numerics: per-element work is float32, as torch does on float32 tensors; training schedules
 * ({@code alphas_cumprod}, sigmas) are the float32 values torch stores; the numpy parts of diffusers (timestep
 * spacing, interpolation, Karras sigmas) are double, as in numpy. The ported diffusers tests
 * ({@code tests/schedulers/test_scheduler_*.py}) pass within their own tolerances.
 *
 * <p>Structure: {@code SigmaSampler} (Euler, Euler a, Heun, LMS: schedule in {@code KSchedule}),
 * {@code AlphaSampler} (DDIM, DDPM, PNDM), {@code MultistepSampler} (DPM-Solver, UniPC: schedule in
 * {@code MultistepSchedule}); shared helpers {@code NoiseSchedule} (betas), {@code Spacing} (timestep spacing),
 * {@code Sigmas} (interpolation, Karras, sigma to timestep) and {@code Thresholding}.
 */
package io.sweepfarm.engine.scheduler;
