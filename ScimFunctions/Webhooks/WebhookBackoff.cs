namespace ScimFunctions.Webhooks;

/// <summary>Exponential backoff with full jitter: after the n-th failure, a random delay up to base·2ⁿ⁻¹ (capped),
/// never less than half of it, so a fleet of failing endpoints does not retry in step.</summary>
public static class WebhookBackoff
{
    public static TimeSpan Delay(int failures, WebhookOptions options, Random random)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ceiling = Math.Min(options.BaseRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)(ceiling / 2 + random.NextDouble() * ceiling / 2));
    }
}
