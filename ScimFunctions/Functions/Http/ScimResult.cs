using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Functions.Http;

/// <summary>A SCIM response: <c>application/scim+json</c>.</summary>
public sealed class ScimResult(int statusCode, JsonNode? body = null) : JsonBodyResult(statusCode, body, ScimMediaType)
{
    public const string ScimMediaType = ScimConstants.ScimMediaType;
    public const string ErrorSchema = ScimConstants.ErrorSchema;

    public ScimResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
