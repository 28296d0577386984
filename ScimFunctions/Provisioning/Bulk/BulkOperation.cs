using System.Text.Json.Nodes;

namespace ScimFunctions.Provisioning.Bulk;

/// <summary>One entry of a BulkRequest's <c>Operations</c>, as sent: <see cref="Index"/> is its place in the request.
/// <see cref="Method"/> is upper case; <see cref="Version"/> is the op's If-Match.</summary>
public sealed record BulkOperation(int Index, string Method, string? BulkId, string? Version, string? Path, JsonNode? Data);
