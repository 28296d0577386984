using System.Text.Json;

namespace ScimFunctions.LocalHost;

/// <summary>The parts of host.json the local host honours, with the Functions host's defaults.</summary>
public sealed record HostJsonSettings
{
    public string RoutePrefix { get; init; } = "api";
    public int MaxDequeueCount { get; init; } = 5;
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);
    public int BatchSize { get; init; } = 16;
    /// <summary>In flight at or below this, the next batch is fetched; the host's default is half the batch size.</summary>
    public int? NewBatchThreshold { get; init; }
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2;
    /// <summary>"base64" (the host's default) or "none".</summary>
    public string MessageEncoding { get; init; } = "base64";

    public static HostJsonSettings Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var settings = new HostJsonSettings();
        if (!document.RootElement.TryGetProperty("extensions", out var extensions)) return settings;
        if (extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out var prefix))
        {
            settings = settings with { RoutePrefix = prefix.GetString() ?? "" };
        }
        if (extensions.TryGetProperty("queues", out var queues))
        {
            if (queues.TryGetProperty("maxDequeueCount", out var count)) settings = settings with { MaxDequeueCount = count.GetInt32() };
            if (queues.TryGetProperty("visibilityTimeout", out var visibility)) settings = settings with { VisibilityTimeout = TimeSpan.Parse(visibility.GetString()!) };
            if (queues.TryGetProperty("maxPollingInterval", out var polling)) settings = settings with { MaxPollingInterval = TimeSpan.Parse(polling.GetString()!) };
            if (queues.TryGetProperty("batchSize", out var batch)) settings = settings with { BatchSize = batch.GetInt32() };
            if (queues.TryGetProperty("newBatchThreshold", out var threshold)) settings = settings with { NewBatchThreshold = threshold.GetInt32() };
            if (queues.TryGetProperty("messageEncoding", out var encoding)) settings = settings with { MessageEncoding = encoding.GetString()!.ToLowerInvariant() };
        }
        return settings;
    }
}
