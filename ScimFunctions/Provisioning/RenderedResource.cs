using System.Text.Json.Nodes;

namespace ScimFunctions.Provisioning;

/// <summary>A resource as a response carries it: the projected body, its version (the ETag) and its URL.
/// <see cref="Body"/> is null when no body is to be sent (the client already holds this version).</summary>
public sealed record RenderedResource(string Id, string Version, string Location, JsonObject? Body);
