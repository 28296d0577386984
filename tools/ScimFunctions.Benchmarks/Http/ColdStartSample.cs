namespace ScimFunctions.Benchmarks.Http;

/// <summary>
/// One start of a published local host, all times from just before the process was started:
/// <see cref="FirstAnswerMs"/> until the first SCIM request answered 200; <see cref="HostStartedMs"/> until the
/// host printed its banner (written right after <c>app.StartAsync()</c> returned, so Kestrel listens and every
/// hosted service has started); <see cref="FirstRequestMs"/> the answered request's own time, send to response.
/// </summary>
public sealed record ColdStartSample(double FirstAnswerMs, double HostStartedMs, double FirstRequestMs, int RefusedAttempts, bool StoppedCleanly);
