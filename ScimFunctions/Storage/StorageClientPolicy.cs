using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimFunctions.Storage;

/// <summary>A pipeline policy added to the app's Table and Queue clients when they are built (tests use it to
/// inject storage faults); register it as a singleton before the clients are first resolved.</summary>
public sealed record StorageClientPolicy(HttpPipelinePolicy Policy, HttpPipelinePosition Position = HttpPipelinePosition.PerCall);
