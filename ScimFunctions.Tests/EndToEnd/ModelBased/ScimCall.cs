using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>One request an IdP sends, in its own dialect.</summary>
public sealed record ScimCall(HttpMethod Method, string Path, JsonNode? Body, string ContentType = "application/scim+json")
{
    public override string ToString() => $"{Method} {Path} {Body?.ToJsonString()}";
}
