using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Http;

/// <summary>A SCIM response: <c>application/scim+json</c>.</summary>
public sealed class ScimResult : JsonBodyResult
{
    public const string ScimMediaType = ScimConstants.ScimMediaType;
    public const string ErrorSchema = ScimConstants.ErrorSchema;

    public ScimResult(int statusCode, JsonNode? body = null) : base(statusCode, body, ScimMediaType)
    {
    }

    /// <summary>A response whose body <paramref name="writeBody"/> writes as it reads.</summary>
    public ScimResult(int statusCode, JsonNode? knownBody, Func<Utf8JsonWriter, CancellationToken, Task> writeBody)
        : base(statusCode, knownBody, writeBody, ScimMediaType)
    {
    }

    public ScimResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
